"""The demo council of Y Tý: its people, its session and the wording of its documents.

In shared/ because the server seeds them (``server.demo.seed``) and the tablet's demo shows
the same documents without a server (``tablet_app.ui.library_model.DemoLibrary``).
"""
