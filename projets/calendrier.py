"""The renewal's timeline: the steps from the start of the evaluation to the CAF's commission,
dated back from the end of the agrément.

The offsets follow the fédérations' public guides (the renewal starts about 14 months before
the agrément ends: evaluation from −12 months, enjeux debated with the habitants around −6,
validation by the instances, the CAF's commission about −3). They live here only: change
`DECALAGES` when the CAF's calendar changes. A step the direction has dated is stored
(`EtapeRenouvellement`); the others are proposed from the offsets and not stored until the
direction saves the timeline.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from projets.models import EtapeRenouvellement, ProjetSocial

Etape = EtapeRenouvellement.Etape

# Months before the end of the agrément, in the order of the steps.
DECALAGES = {
    Etape.EVALUATION: 12,
    Etape.DIAGNOSTIC: 9,
    Etape.ENJEUX: 6,
    Etape.VALIDATION: 5,
    Etape.ENVOI: 4,
    Etape.COMMISSION: 3,
}

# The statuts whose projet is the one being renewed (a draft of the next projet has none).
STATUTS_AVEC_CALENDRIER = (ProjetSocial.Statut.SOUMIS, ProjetSocial.Statut.AGREE)


def fin_agrement(projet):
    """The last day of the agrément: the date the direction typed, or 31 December of the
    projet's last year."""
    return projet.date_fin_agrement or date(projet.annee_fin, 12, 31)


def mois_avant(jour, mois):
    """The same day `mois` months earlier (the last day of that month when it is shorter)."""
    annee, index = divmod(jour.year * 12 + jour.month - 1 - mois, 12)
    return date(annee, index + 1, min(jour.day, monthrange(annee, index + 1)[1]))


def date_proposee(projet, etape):
    return mois_avant(fin_agrement(projet), DECALAGES[etape])


@dataclass
class EtapeDatee:
    """A step of the timeline as the pages show it: stored or proposed."""

    projet: ProjetSocial
    etape: str
    date: date
    faite_le: date | None = None
    enregistree: bool = False  # the direction saved this date (else proposed from DECALAGES)

    @property
    def libelle(self):
        return Etape(self.etape).label

    def jours_restants(self, aujourdhui=None):
        return (self.date - (aujourdhui or timezone.localdate())).days

    def en_retard(self, aujourdhui=None):
        return self.faite_le is None and self.jours_restants(aujourdhui) < 0


def etapes_du_projet(projet):
    """The six steps of the projet's renewal, in order of date: those stored, the others
    proposed. Reads the stored steps through `projet.etapes_renouvellement.all()` (prefetch it
    for a list of projets)."""
    enregistrees = {e.etape: e for e in projet.etapes_renouvellement.all()}
    etapes = []
    for etape in DECALAGES:
        if stockee := enregistrees.get(etape):
            etapes.append(
                EtapeDatee(projet, etape, stockee.date, stockee.faite_le, enregistree=True)
            )
        else:
            etapes.append(EtapeDatee(projet, etape, date_proposee(projet, etape)))
    return sorted(etapes, key=lambda e: (e.date, list(DECALAGES).index(e.etape)))


def prochaines_etapes(projets, aujourdhui=None, limite=3):
    """The next steps not done of these projets' renewals (those late first), at most `limite`,
    for the home page and the weekly digest. Only the projets being renewed (soumis, agréé)
    have a timeline."""
    etapes = [
        etape
        for projet in projets
        if projet.statut in STATUTS_AVEC_CALENDRIER
        for etape in etapes_du_projet(projet)
        if etape.faite_le is None
    ]
    etapes.sort(key=lambda e: e.date)
    return etapes[:limite]
