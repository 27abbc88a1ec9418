"""The entry points of the processes that render the dossier's parts (`assemblage.Atelier`).

A spawned process imports this module before Django is set up: it imports nothing of Django's
models until `preparer` has run.
"""

import os


def preparer():
    """A pool's process: Django set up (settings, file storage); it needs no database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centresocial.settings")
    import django

    django.setup()


def rendre(html, css, balise=True):
    from .assemblage import rendre_morceau

    return rendre_morceau(html, css, balise)
