"""What the evaluation dashboard and the exports show, read in a fixed number of queries.

Everything is fetched projet-wide with `.values()` (fiches, indicators, targets, results) and
assembled in Python, so the number of queries does not depend on the number of fiches.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from actions.models import FicheAction, Indicateur

from .models import CibleAnnuelle, Resultat


@dataclass
class Suivi:
    """One indicator over the période: targets and results per year."""

    pk: int
    objet: str
    libelle: str
    outil: str
    nature: str
    unite: str
    reference: object
    cible_periode: object
    fiche_pk: int
    fiche_code: str
    fiche_titre: str
    axe_id: int
    cibles_annuelles: dict = field(default_factory=dict)
    # annee -> {semestre: row of Resultat.values()}
    resultats: dict = field(default_factory=lambda: defaultdict(dict))

    @property
    def quantitatif(self):
        return self.nature == Indicateur.Nature.QUANTITATIF

    @property
    def a_des_resultats(self):
        return bool(self.resultats)

    def cible(self, annee):
        """The year's own target, else the target of the whole période."""
        return self.cibles_annuelles.get(annee, self.cible_periode)

    def valeur(self, annee):
        """The figure drawn for a year: the whole-year result, else the latest semester's."""
        periodes = self.resultats.get(annee, {})
        for semestre in (
            Resultat.Semestre.ANNEE,
            Resultat.Semestre.SECOND,
            Resultat.Semestre.PREMIER,
        ):
            ligne = periodes.get(semestre)
            if ligne is not None:
                if ligne["non_renseigne"]:
                    return None
                return ligne["niveau"] if ligne["valeur"] is None else ligne["valeur"]
        return None


def suivis_du_projet(projet):
    """Every indicator of the projet with its targets and results (3 queries)."""
    suivis = {}
    lignes = (
        Indicateur.objects.filter(fiche__projet=projet)
        .order_by("fiche__axe__transversal", "fiche__axe__ordre", "fiche__numero", "ordre", "pk")
        .values(
            "pk",
            "objet",
            "libelle",
            "outil",
            "nature",
            "unite",
            "valeur_reference",
            "cible",
            "fiche_id",
            "fiche__numero",
            "fiche__titre",
            "fiche__axe_id",
        )
    )
    for ligne in lignes:
        suivis[ligne["pk"]] = Suivi(
            pk=ligne["pk"],
            objet=ligne["objet"],
            libelle=ligne["libelle"],
            outil=ligne["outil"],
            nature=ligne["nature"],
            unite=ligne["unite"],
            reference=ligne["valeur_reference"],
            cible_periode=ligne["cible"],
            fiche_pk=ligne["fiche_id"],
            fiche_code=f"{ligne['fiche__numero']:02d}",
            fiche_titre=ligne["fiche__titre"],
            axe_id=ligne["fiche__axe_id"],
        )
    cibles = CibleAnnuelle.objects.filter(indicateur__fiche__projet=projet).values_list(
        "indicateur_id", "annee", "valeur"
    )
    for indicateur_id, annee, valeur in cibles:
        suivis[indicateur_id].cibles_annuelles[annee] = valeur
    resultats = Resultat.objects.du_projet(projet).values(
        "indicateur_id", "annee", "semestre", "valeur", "niveau", "non_renseigne", "commentaire"
    )
    for r in resultats:
        suivis[r["indicateur_id"]].resultats[r["annee"]][r["semestre"]] = r
    return list(suivis.values())


def moyenne(valeurs):
    valeurs = [v for v in valeurs if v is not None]
    return sum(valeurs) / len(valeurs) if valeurs else None


def synthese_fiches(projet):
    """Fiches by statut, by axe (with their statuts) and participation per axe (2 queries)."""
    axes = list(projet.axes.all())
    fiches = list(
        FicheAction.objects.du_projet(projet).values(
            "axe_id", "statut", "participation_actuelle", "participation_visee"
        )
    )
    statuts = FicheAction.Statut
    par_statut = [(s.label, sum(1 for f in fiches if f["statut"] == s)) for s in statuts]
    par_axe = []
    for axe in axes:
        siennes = [f for f in fiches if f["axe_id"] == axe.pk]
        par_axe.append(
            {
                "axe": axe,
                "total": len(siennes),
                "statuts": [sum(1 for f in siennes if f["statut"] == s) for s in statuts],
                "actuelle": moyenne([f["participation_actuelle"] for f in siennes]),
                "visee": moyenne([f["participation_visee"] for f in siennes]),
                "renseignees": sum(
                    1 for f in siennes if f["participation_actuelle"] and f["participation_visee"]
                ),
            }
        )
    return {"total": len(fiches), "par_statut": par_statut, "par_axe": par_axe}
