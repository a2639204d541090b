from rest_framework.views import APIView


class ProcessListView(APIView):
    pass


class ProcessDetailView(APIView):
    pass
