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


def a_un_calendrier(projet):
    return projet.statut in STATUTS_AVEC_CALENDRIER


def dater_etape(projet, etape, jour, faite_le=None):
    """Store the date the direction gives a step (and when it was done). A step whose date
    moves gets its reminders again, counted from the new date."""
    stockee = EtapeRenouvellement.objects.filter(projet=projet, etape=etape).first()
    defaults = {"date": jour, "faite_le": faite_le}
    if stockee is None or stockee.date != jour:
        defaults["rappel_envoye_a"] = None
    return EtapeRenouvellement.objects.update_or_create(
        projet=projet, etape=etape, defaults=defaults
    )[0]


# --- Reminders to the direction (projets/rappels.py, `manage.py rappels_renouvellement`) ---

# Days before a step's date when its reminder goes: a month before, a week before, on the day.
SEUILS_RAPPEL = (30, 7, 0)


def seuil_de_rappel(jours_restants):
    """The reminder due `jours_restants` days before a step: the nearest threshold not yet
    passed (so a day the command did not run is caught up the next), or None (too early, or
    the step's day is past)."""
    if jours_restants < 0:
        return None
    atteints = [seuil for seuil in SEUILS_RAPPEL if jours_restants <= seuil]
    return min(atteints) if atteints else None


def rappel_du(etape_stockee, seuil):
    """Whether the reminder of this threshold is still to send (each one goes once)."""
    if seuil is None:
        return False
    deja = etape_stockee.rappel_envoye_a if etape_stockee else None
    return deja is None or deja > seuil


def seuils_en_clair():
    """« 30 jours avant, 7 jours avant et le jour même », from SEUILS_RAPPEL."""
    morceaux = [
        "le jour même" if seuil == 0 else f"{seuil} jour{'s' if seuil > 1 else ''} avant"
        for seuil in sorted(SEUILS_RAPPEL, reverse=True)
    ]
    return ", ".join(morceaux[:-1]) + " et " + morceaux[-1] if len(morceaux) > 1 else morceaux[0]


def en_clair(jours_restants):
    """« aujourd'hui », « demain », « dans 12 jours », « en retard de 3 jours »."""
    if jours_restants == 0:
        return "aujourd'hui"
    if jours_restants == 1:
        return "demain"
    if jours_restants > 1:
        return f"dans {jours_restants} jours"
    if jours_restants == -1:
        return "en retard d'un jour"
    return f"en retard de {-jours_restants} jours"
