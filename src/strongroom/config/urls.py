from django.urls import include, path

urlpatterns = [
    path("api/", include("strongroom.api.urls")),
    path("", include("strongroom.web.urls")),
]

handler404 = "strongroom.web.views.failures.page_not_found"
