"""Devices and agenda packs: enrolment, device-signed requests, building and serving packs."""
