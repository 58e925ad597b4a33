"""The Kivy screens of the delegate's app (tablet_app/core holds everything without Kivy)."""
