"""Request and response bodies, one module per area. Input serializers check shape and type;
the rules themselves (lengths, dates, who may) are the services' to enforce."""
