"""WebSocket routes of the live Q&A rooms."""

websocket_urlpatterns: list = []
