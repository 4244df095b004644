from typing import Any

from rest_framework.views import exception_handler as drf_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    return drf_handler(exc, context)
