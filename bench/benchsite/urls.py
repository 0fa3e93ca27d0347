from django.urls import path

from benchsite.views import membership_detail

urlpatterns = [path("bench/membership/<int:pk>/", membership_detail)]
