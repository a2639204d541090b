from django.http import HttpResponse


def process_list(request):
    return HttpResponse("")


def process_detail(request, process_id):
    return HttpResponse("")


def improvement_summary(request):
    return HttpResponse("")
