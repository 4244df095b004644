from django.urls import include, path

urlpatterns = [
    path("api/", include("strongroom.api.urls")),
    path("", include("strongroom.web.urls")),
]
