"""The live sitting on the server: event store, hub, fan-out and websockets.

``shared.live`` decides and reduces; this package stores events durably, serialises
commands per sitting, and pushes each committed event to every connected device.
"""
