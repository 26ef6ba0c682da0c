"""The stream server of live screens (app.py), run by uvicorn in a process of its own."""
