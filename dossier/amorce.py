"""Imported by the fork server of the dossier's pools of processes, before it forks any
(`processus`): importing it prepares that server."""

from .processus import amorcer

amorcer()
