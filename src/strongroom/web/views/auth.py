"""Signing in and out, with Django's own views and our templates."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpResponse


class SignInView(LoginView):
    template_name = "strongroom/auth/sign_in.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # A failed sign-in is a failed POST like any other form's: 400, not 200.
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignOutView(LogoutView):
    next_page = "web:sign-in"
