"""Two-step verification (TOTP, with recovery codes) for staff accounts, on django-otp.

policy.py says who must use it, middleware.py keeps the admin closed until the session is
verified, devices.py creates, confirms and resets devices, views.py holds the French pages.
"""
