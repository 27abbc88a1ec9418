"""The processes that render the dossier's parts (`assemblage.Atelier`).

They are forked by multiprocessing's fork server: one process, started by the first export of a
worker and kept while the worker lives, that has Django set up, WeasyPrint imported and the
dossier's stylesheet and fonts prepared (`amorcer`, run as it imports `dossier.amorce`). A pool
then starts in milliseconds instead of seconds (importing Django and WeasyPrint in each process).
Forked from that server, not from the exporting process: that one holds the dossier's HTML, a
database connection and the heartbeat's thread (a fork copies the first two, and is unsafe with
the third).

This module imports nothing of Django's until `preparer` has run.
"""

import contextlib
import os
import resource
import threading


def preparer(veille=None):
    """A pool's process: Django set up (settings, file storage); it needs no database. Nothing
    to do in a process forked from a prepared server. `veille`: the reading end of a pipe
    whose other end only the exporting process holds: when it ends, even killed, this process
    ends too (a pool's process is the fork server's child, not the exporter's: it would
    otherwise wait for parts for ever, and keep the server alive)."""
    if veille is not None:
        threading.Thread(target=veiller, args=(veille,), daemon=True).start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centresocial.settings")
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


def veiller(veille):
    with contextlib.suppress(EOFError):
        veille.recv_bytes()  # nothing is ever sent: returns when the exporter has gone
    os._exit(0)


def amorcer():
    """The fork server: Django set up, the stylesheet parsed and its fonts loaded once, for
    every process it forks."""
    preparer()
    from .assemblage import preparation

    preparation()


def rendre(html, css, balise=True):
    """One part's render (`assemblage.rendre_morceau`), and this process's peak memory so far."""
    from .assemblage import rendre_morceau

    rendu = rendre_morceau(html, css, balise)
    rendu["memoire_mo"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return rendu


def fragment(arguments):
    """One part's fragment of the dossier's file (`assemblage.fragment`)."""
    from .assemblage import fragment

    return fragment(*arguments)
