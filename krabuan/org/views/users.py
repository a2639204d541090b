from django.http import HttpResponse


def user_list(request):  # replaced by user management
    return HttpResponse("")


def preferences(request):  # replaced by preferences
    return HttpResponse("")
