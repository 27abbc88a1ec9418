"""Loads the demo data of `fixtures/demo/` (format: `fixtures/demo/FORMAT.md`).

Loading creates what is missing and never changes what exists, so it can run on every
`make run` without undoing what someone typed into the demo: a structure, partner,
territoire or account found by its natural key is left as it is, and a projet that
already exists keeps its content.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction

from actions.models import (
    AnneeAction,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)
from partenaires.models import ComptePartenaire, ContactPartenaire, Partenaire
from projets.models import (
    Axe,
    ChiffreCle,
    ColonneChiffres,
    Constat,
    Enjeu,
    InstanceGouvernance,
    LigneBudget,
    Membre,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
    Structure,
    Territoire,
    ValeurComparee,
)

DOSSIER_DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
DOCUMENTS = ["territoire-sud.yaml", "evs-les-tilleuls.yaml"]
MOT_DE_PASSE_DEMO = "demo"
ADMIN = {
    "username": "admin",
    "first_name": "Admin",
    "last_name": "Instance",
    "email": "admin@example.org",
}

User = get_user_model()


@dataclass
class Rapport:
    crees: dict = field(default_factory=dict)
    comptes: list = field(default_factory=list)

    def compter(self, modele, nombre=1):
        nom = modele._meta.verbose_name_plural
        self.crees[nom] = self.crees.get(nom, 0) + nombre


def lire_document(nom, dossier=DOSSIER_DEMO):
    with open(dossier / nom, encoding="utf-8") as fichier:
        document = yaml.safe_load(fichier)
    for inclus in document.pop("inclure", []):
        with open(dossier / inclus, encoding="utf-8") as fichier:
            document.update(yaml.safe_load(fichier))
    for axe in document.get("projet", {}).get("axes", []):
        fiches = list(axe.get("fiches", []))
        for nom_fichier in axe.pop("fiches_fichiers", []):
            with open(dossier / nom_fichier, encoding="utf-8") as fichier:
                fiches.extend(yaml.safe_load(fichier))
        axe["fiches"] = fiches
    return document


def creer(objet, rapport):
    """Validate like a form would (French messages), then save."""
    objet.full_clean()
    objet.save()
    rapport.compter(type(objet))
    return objet


def creer_lot(objets, rapport):
    for objet in objets:
        objet.full_clean()
    if objets:
        type(objets[0]).objects.bulk_create(objets)
        rapport.compter(type(objets[0]), len(objets))


@transaction.atomic
def charger_demo(dossier=DOSSIER_DEMO, documents=DOCUMENTS, comptes_demo=None):
    """Load every demo document; `comptes_demo` (default: settings.DEBUG) creates loginable accounts."""
    if comptes_demo is None:
        comptes_demo = settings.DEBUG
    rapport = Rapport()
    for nom in documents:
        charger_document(lire_document(nom, dossier), rapport, comptes_demo)
    if comptes_demo:
        admin = obtenir_utilisateur(ADMIN, rapport, comptes_demo, superuser=True)
        rapport.comptes.append((admin.username, "administrateur de l'instance"))
    return rapport


def obtenir_utilisateur(donnees, rapport, comptes_demo, superuser=False):
    user, cree = User.objects.get_or_create(
        username=donnees["username"],
        defaults={
            "first_name": donnees.get("first_name", ""),
            "last_name": donnees.get("last_name", ""),
            "email": donnees.get("email", ""),
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if cree:
        # Without DEBUG the people exist (as référents) but nobody can log in as them.
        if comptes_demo:
            user.set_password(MOT_DE_PASSE_DEMO)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
        rapport.compter(User)
    return user


def charger_document(doc, rapport, comptes_demo):
    donnees_structure = dict(doc["structure"])
    logo = donnees_structure.pop("logo", None)
    structure, cree = Structure.objects.get_or_create(
        slug=donnees_structure.pop("slug"), defaults=donnees_structure
    )
    if cree:
        rapport.compter(Structure)
        if logo:
            chemin = DOSSIER_DEMO / logo
            with chemin.open("rb") as fichier:
                structure.logo.save(f"{structure.slug}{chemin.suffix}", File(fichier))

    personnes = {}
    for personne in doc.get("equipe", []):
        user = obtenir_utilisateur(personne, rapport, comptes_demo)
        personnes[user.username] = user
        _, cree = Membre.objects.get_or_create(
            user=user, structure=structure, defaults={"role": personne["role"]}
        )
        if cree:
            rapport.compter(Membre)
        if comptes_demo:
            role = Membre.Role(personne["role"]).label.lower()
            rapport.comptes.append((user.username, f"{role} · {structure.nom}"))

    partenaires = charger_partenaires(doc, structure, rapport)
    if comptes_demo:
        for compte in doc.get("comptes_partenaires", []):
            user = obtenir_utilisateur(compte, rapport, comptes_demo)
            _, cree = ComptePartenaire.objects.get_or_create(
                user=user, partenaire=partenaires[compte["partenaire"]]
            )
            if cree:
                rapport.compter(ComptePartenaire)
            rapport.comptes.append((user.username, f"partenaire · {compte['partenaire']}"))

    charger_territoires(doc, structure, rapport)

    donnees_projet = dict(doc["projet"])
    axes = donnees_projet.pop("axes")
    projet, cree = ProjetSocial.objects.get_or_create(
        structure=structure,
        titre=donnees_projet.pop("titre"),
        annee_debut=donnees_projet.pop("annee_debut"),
        defaults=donnees_projet,
    )
    if cree:
        rapport.compter(ProjetSocial)
        charger_contenu_projet(doc, projet, axes, partenaires, personnes, rapport)
    if doc.get("evaluation_demo"):
        # A year of results and bilans, so the dashboard and the exports have something to show.
        from evaluation.demo import charger_evaluation_demo

        crees = charger_evaluation_demo(projet)
        if crees:
            rapport.crees["lignes d'évaluation"] = (
                rapport.crees.get("lignes d'évaluation", 0) + crees
            )


def charger_partenaires(doc, structure, rapport):
    contacts = doc.get("contacts", {})
    partenaires = {}
    for donnees in doc.get("partenaires", []):
        donnees = dict(donnees)
        partenaire, cree = Partenaire.objects.get_or_create(
            structure=structure, nom=donnees.pop("nom"), defaults=donnees
        )
        if cree:
            rapport.compter(Partenaire)
            creer_lot(
                [
                    ContactPartenaire(partenaire=partenaire, **c)
                    for c in contacts.get(partenaire.nom, [])
                ],
                rapport,
            )
        partenaires[partenaire.nom] = partenaire
    return partenaires


def charger_territoires(doc, structure, rapport):
    for donnees in doc.get("territoires", []):
        donnees = dict(donnees)
        chiffres = donnees.pop("chiffres", [])
        intitules = donnees.pop("colonnes", [])
        territoire, cree = Territoire.objects.get_or_create(
            structure=structure, nom=donnees.pop("nom"), defaults=donnees
        )
        if cree:
            rapport.compter(Territoire)
            colonnes = [
                creer(ColonneChiffres(territoire=territoire, intitule=t, ordre=i), rapport)
                for i, t in enumerate(intitules, start=1)
            ]
            valeurs = []
            for i, chiffre in enumerate(chiffres, start=1):
                chiffre = dict(chiffre)
                comparaisons = chiffre.pop("comparaisons", [])
                chiffre["valeur"] = decimal(chiffre.get("valeur"))
                ligne = creer(ChiffreCle(territoire=territoire, ordre=i, **chiffre), rapport)
                valeurs += [
                    ValeurComparee(chiffre=ligne, colonne=colonne, valeur=decimal(valeur))
                    for colonne, valeur in zip(colonnes, comparaisons, strict=False)
                    if valeur is not None
                ]
            creer_lot(valeurs, rapport)


def decimal(valeur):
    """A YAML number as the Decimal it is written as (1.4 is read as a float: 1.3999…)."""
    return None if valeur is None else Decimal(str(valeur))


def charger_contenu_projet(doc, projet, axes, partenaires, personnes, rapport):
    creer_lot(
        [
            SectionProjet(projet=projet, ordre=i, **s)
            for i, s in enumerate(doc.get("sections", []), start=1)
        ],
        rapport,
    )
    creer_lot(
        [
            InstanceGouvernance(projet=projet, ordre=i, **g)
            for i, g in enumerate(doc.get("gouvernance", []), start=1)
        ],
        rapport,
    )
    creer_lot(
        [LigneBudget(projet=projet, ordre=i, **b) for i, b in enumerate(doc.get("budget", []))],
        rapport,
    )
    creer_lot([Sigle(projet=projet, **s) for s in doc.get("sigles", [])], rapport)
    # The findings of the diagnostic, by code: the enjeux name those they answer.
    constats = {}
    for i, donnees_constat in enumerate(doc.get("constats", []), start=1):
        donnees_constat = dict(donnees_constat)
        code = donnees_constat.pop("code")
        constats[code] = creer(Constat(projet=projet, ordre=i, **donnees_constat), rapport)

    objectifs = {}
    axes_crees = []
    for ordre, donnees_axe in enumerate(axes, start=1):
        axe = creer(
            Axe(
                projet=projet,
                titre=donnees_axe["titre"],
                transversal=donnees_axe.get("transversal", False),
                ordre=ordre,
            ),
            rapport,
        )
        # Objectifs sit under an enjeu, or straight under the axe in projets without enjeux.
        groupes = [(None, donnees_axe.get("objectifs", []))]
        for donnees_enjeu in donnees_axe.get("enjeux", []):
            enjeu = creer(
                Enjeu(
                    projet=projet,
                    axe=axe,
                    numero=donnees_enjeu["numero"],
                    titre=donnees_enjeu["titre"],
                    description=donnees_enjeu.get("description", ""),
                ),
                rapport,
            )
            enjeu.constats.set([constats[code] for code in donnees_enjeu.get("constats", [])])
            groupes.append((enjeu, donnees_enjeu.get("objectifs", [])))
        for enjeu, liste in groupes:
            for i, donnees_objectif in enumerate(liste, start=1):
                donnees_objectif = dict(donnees_objectif)
                code = donnees_objectif.pop("code")
                objectifs[code] = creer(
                    ObjectifGeneral(axe=axe, enjeu=enjeu, ordre=i, **donnees_objectif), rapport
                )
        axes_crees.append((axe, donnees_axe["fiches"]))

    for axe, fiches in axes_crees:
        for donnees_fiche in fiches:
            charger_fiche(projet, axe, donnees_fiche, objectifs, partenaires, personnes, rapport)


def charger_fiche(projet, axe, d, objectifs, partenaires, personnes, rapport):
    fiche = creer(
        FicheAction(
            projet=projet,
            axe=axe,
            numero=d["numero"],
            titre=d["titre"],
            statut_plan=d.get("statut_plan") or "",
            projet_familles=d.get("acf", False),
            projet_jeunesse=d.get("jeunesse", False),
            statut=d["statut"],
            motif_fin=d.get("motif_fin") or "",
            contexte=d.get("contexte", ""),
            public_vise=d.get("public_vise", ""),
            attention_particuliere=d.get("attention_particuliere", ""),
            presentation=d.get("presentation", ""),
            resultats_attendus=d.get("resultats_attendus", ""),
            freins=d.get("freins", ""),
            referent=personnes.get(d.get("referent")),
            referent_libelle=d.get("referent_libelle", ""),
            participation_actuelle=participation(d.get("participation_actuelle")),
            participation_visee=participation(d.get("participation_visee")),
        ),
        rapport,
    )
    creer_lot(
        [
            FicheObjectif(fiche=fiche, objectif=objectifs[code], principal=(i == 0), ordre=i)
            for i, code in enumerate(d.get("objectifs", []))
        ],
        rapport,
    )
    creer_lot([AnneeAction(fiche=fiche, annee=annee) for annee in d.get("annees", [])], rapport)
    creer_lot(
        [
            ObjectifOperationnel(fiche=fiche, ordre=i, libelle=libelle)
            for i, libelle in enumerate(d.get("objectifs_operationnels", []))
        ],
        rapport,
    )
    creer_lot(
        [
            EtapeEcheancier(
                fiche=fiche,
                ordre=i,
                libelle=e["libelle"],
                periode=e.get("periode", ""),
                date_debut=e.get("debut"),
                date_fin=e.get("fin"),
            )
            for i, e in enumerate(d.get("echeancier", []))
        ],
        rapport,
    )
    creer_lot(
        [
            Moyen(
                fiche=fiche,
                ordre=i,
                type=m["type"],
                libelle=m["libelle"],
                quantite=m.get("quantite"),
                montant=m.get("montant"),
            )
            for i, m in enumerate(d.get("moyens", []))
        ],
        rapport,
    )
    creer_lot(
        [
            PartenariatAction(
                fiche=fiche,
                ordre=i,
                partenaire=partenaires[p["partenaire"]],
                role=p.get("role") or "",
                contribution=p.get("contribution", ""),
            )
            for i, p in enumerate(d.get("partenaires", []))
        ],
        rapport,
    )
    creer_lot(
        [
            Indicateur(
                fiche=fiche,
                ordre=i,
                objet=ind.get("objet") or "",
                libelle=ind["libelle"],
                outil=ind.get("outil", ""),
                nature=ind.get("nature", Indicateur.Nature.QUANTITATIF),
                unite=ind.get("unite") or "",
                valeur_reference=ind.get("reference"),
                cible=ind.get("cible"),
                cible_precision=ind.get("cible_precision", ""),
            )
            for i, ind in enumerate(d.get("indicateurs", []))
        ],
        rapport,
    )


def participation(nom):
    return FicheAction.Participation[nom.upper()] if nom else None
