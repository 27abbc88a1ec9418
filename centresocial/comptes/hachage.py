from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idOWASP(Argon2PasswordHasher):
    """Argon2id with the parameters of OWASP's Password Storage Cheat Sheet (m = 19 MiB, t = 2,
    p = 1): memory-hard against GPU guessing, and about 20 ms of one core per login, where
    Django's PBKDF2 (1,000,000 iterations) takes about 200 ms that every other request waits
    behind on a small server."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
