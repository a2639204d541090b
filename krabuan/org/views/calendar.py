from django.http import HttpResponse


def calendar_page(request):  # replaced by the calendar page
    return HttpResponse("")
