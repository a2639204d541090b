from rest_framework.views import APIView


class HolidayListView(APIView):
    pass


class CalendarAddView(APIView):
    pass
