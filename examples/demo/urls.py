from django.urls import path

from demo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("templates/", views.template_gallery, name="template_gallery"),
]
