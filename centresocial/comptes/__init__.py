"""Accounts: login with throttling and optional TOTP second factor, password rules (CNIL 2022)."""
