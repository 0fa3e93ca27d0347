"""The applicant portal on the apex domain (/portal/)."""
from django.urls import path

from pintu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("profil/", views.profile, name="profile"),
]
