"""« Prêt pour la CAF ? » (dossier/verifications.py): each check passes on a complete projet and
fails, saying what is missing and where to fix it, when one thing is taken away."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import PartenariatAction
from dossier import verifications as v
from projets.models import Constat, SectionProjet
from tests.factories import (
    BilanActionFactory,
    ChiffreCleFactory,
    ConstatFactory,
    EnjeuFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    IndicateurFactory,
    InstanceGouvernanceFactory,
    LigneBudgetFactory,
    MembreFactory,
    ObjectifGeneralFactory,
    PartenariatActionFactory,
    ProjetSocialFactory,
    SectionProjetFactory,
    TerritoireFactory,
)

pytestmark = pytest.mark.django_db
Type = SectionProjet.Type

PUBLICS = [
    "Enfants de 6 à 11 ans et leurs parents",
    "Jeunes de 11 à 17 ans",
    "Adultes en recherche d'emploi",
    "Seniors isolés du quartier",
]


@pytest.fixture
def projet():
    """A projet that passes every check."""
    projet = ProjetSocialFactory(agrement_acf=True, date_validation_instances=date(2025, 1, 20))
    enjeu = EnjeuFactory(axe__projet=projet)
    projet.structure.equipe = "- Une directrice, titulaire du DESJEPS\n- Deux animateurs"
    projet.structure.save()
    TerritoireFactory(structure=projet.structure, nom="Vergers", qpv=True)
    ChiffreCleFactory(territoire=projet.structure.territoires.get())
    for type_, texte in [
        (Type.POINT_DE_VUE_HABITANTS, "Les habitants des Vergers ont répondu à l'enquête."),
        (Type.POINT_DE_VUE_PARTENAIRES, "Les partenaires se sont réunis."),
        (Type.EVALUATION_PRECEDENT, "Le bilan a été fait avec les habitants."),
        (Type.PROJET_ACCUEIL, "Les deux sites sont accessibles aux fauteuils."),
        (Type.PROJET_FAMILLES, "Porté par la référente familles."),
    ]:
        SectionProjetFactory(projet=projet, type=type_, contenu=texte)
    enjeu.constats.set([ConstatFactory(projet=projet, habitants=True)])
    objectif = ObjectifGeneralFactory(enjeu=enjeu)
    for i, public in enumerate(PUBLICS):
        fiche = FicheActionFactory(
            axe=enjeu.axe, public_vise=public, referent_libelle="ADS", projet_familles=i == 0
        )
        IndicateurFactory(fiche=fiche)
        FicheObjectifFactory(fiche=fiche, objectif=objectif)
        PartenariatActionFactory(fiche=fiche, confirme_le=timezone.now())
    InstanceGouvernanceFactory(projet=projet, composition="Élus, CAF et deux habitants.")
    LigneBudgetFactory(projet=projet, montant=1000)
    LigneBudgetFactory(projet=projet, montant=1000, produit=True)
    return projet


def manques(projet, fonction):
    """What one check says is missing (or SansObjet)."""
    (verification,) = [x for x in v.VERIFICATIONS if x.fonction is fonction]
    return verification(v.Donnees(projet)).reponse


def messages(projet, fonction):
    return " ".join(m.message for m in manques(projet, fonction))


def test_chaque_verification_dit_sa_circulaire_et_son_critere():
    assert len({x.code for x in v.VERIFICATIONS}) == len(v.VERIFICATIONS)
    for verification in v.VERIFICATIONS:
        assert verification.circulaire in (v.CNAF_2012, v.CNAF_2025)
        assert verification.critere in v.Critere


@pytest.mark.parametrize("verification", v.VERIFICATIONS, ids=lambda x: x.code)
def test_un_projet_complet_passe_chaque_verification(projet, verification):
    resultat = verification(v.Donnees(projet))
    assert resultat.ok and not resultat.sans_objet, resultat.manques


def test_le_rapport_compte_les_points_a_revoir(projet):
    assert v.verifier(projet).a_revoir == []
    projet.date_validation_instances = None
    projet.save()
    rapport = v.verifier(projet)
    assert [r.verification.code for r in rapport.a_revoir] == ["validation_instances"]
    (groupe,) = [g for g in rapport.groupes if g.a_revoir]
    assert groupe.critere == v.Critere.VALIDATION


def test_statistiques(projet):
    projet.structure.territoires.all().delete()
    (manque,) = manques(projet, v.diagnostic_statistiques)
    assert "chiffres clés" in manque.message
    assert manque.lien == reverse("projets:contenu", args=[projet.pk]) + "#territoires"
    # A constat drawn from statistics is enough.
    ConstatFactory(projet=projet, source=Constat.Source.STATISTIQUE)
    assert manques(projet, v.diagnostic_statistiques) == []


def test_paroles_des_habitants_et_des_partenaires(projet):
    projet.sections.filter(type=Type.POINT_DE_VUE_PARTENAIRES).delete()
    (manque,) = manques(projet, v.diagnostic_paroles)
    assert "point de vue des partenaires" in manque.message
    assert manque.lien.endswith("?type=point_de_vue_partenaires")
    ConstatFactory(projet=projet, partenaires=True)
    assert manques(projet, v.diagnostic_paroles) == []
    # An empty section counts for nothing, and the link opens it.
    section = projet.sections.get(type=Type.POINT_DE_VUE_HABITANTS)
    section.contenu = "  "
    section.save()
    projet.constats.filter(source=Constat.Source.HABITANTS).delete()
    (manque,) = manques(projet, v.diagnostic_paroles)
    assert manque.lien == reverse("projets:section_modifier", args=[projet.pk, section.pk])


def test_constats(projet):
    projet.constats.all().delete()
    assert "Aucun constat" in messages(projet, v.diagnostic_constats)


def test_evaluation_du_projet_precedent(projet):
    projet.sections.filter(type=Type.EVALUATION_PRECEDENT).delete()
    assert "évaluation du projet précédent" in messages(projet, v.evaluation_precedent)


def test_participation_au_choix_des_enjeux(projet):
    projet.constats.update(source=Constat.Source.EQUIPE)
    assert "choix des enjeux" in messages(projet, v.participation_habitants)
    SectionProjetFactory(projet=projet, type=Type.METHODOLOGIE, contenu="Ateliers d'usagers.")
    assert manques(projet, v.participation_habitants) == []


def test_participation_a_l_evaluation(projet):
    projet.sections.filter(type=Type.EVALUATION_PRECEDENT).update(contenu="Bilan chiffré.")
    assert "L'évaluation ne dit pas la place des habitants" in messages(
        projet, v.participation_habitants
    )
    BilanActionFactory(fiche=projet.fiches.first(), resultat_habitants="Des parents relais.")
    assert manques(projet, v.participation_habitants) == []


def test_participation_au_diagnostic(projet):
    projet.sections.filter(type=Type.POINT_DE_VUE_HABITANTS).delete()
    projet.constats.update(source=Constat.Source.STATISTIQUE)
    assert "Le diagnostic ne dit pas" in messages(projet, v.participation_habitants)


def test_gouvernance(projet):
    projet.instances.update(composition="Élus et CAF.")
    (manque,) = manques(projet, v.gouvernance_habitants)
    assert "habitants ou d'usagers" in manque.message
    projet.instances.all().delete()
    assert "Aucune instance" in messages(projet, v.gouvernance_habitants)


def test_enjeux_relies_aux_constats(projet):
    enjeu = projet.enjeux.get()
    enjeu.constats.clear()
    (manque,) = manques(projet, v.enjeux_constats)
    assert f"L'enjeu n° {enjeu.numero}" in manque.message
    assert manque.lien == reverse("projets:enjeu_modifier", args=[enjeu.pk])


def test_objectifs_sans_fiche(projet):
    orphelin = ObjectifGeneralFactory(enjeu=projet.enjeux.get(), titre="Un objectif orphelin")
    (manque,) = manques(projet, v.objectifs_fiches)
    assert "« Un objectif orphelin »" in manque.message
    assert manque.lien == reverse("projets:objectif_modifier", args=[orphelin.pk])


def test_fiche_sans_referent_ni_indicateur(projet):
    fiche = projet.fiches.first()
    fiche.indicateurs.all().delete()
    fiche.referent_libelle = ""
    fiche.save()
    (manque,) = manques(projet, v.fiches_referent_indicateur)
    assert "n'a pas de référent ni d'indicateur" in manque.message
    assert manque.lien == reverse("actions:modifier", args=[fiche.pk])
    # A référent with an account is a référent.
    fiche.referent = MembreFactory(structure=projet.structure).user
    fiche.save()
    assert "n'a pas d'indicateur" in messages(projet, v.fiches_referent_indicateur)


def test_budget(projet):
    LigneBudgetFactory(projet=projet, annee=2026, montant=500)
    assert messages(projet, v.budget_equilibre) == (
        "Le budget 2026 n'est pas équilibré : 500 € de charges pour 0 € de produits."
    )
    projet.lignes_budget.all().delete()
    assert "n'est pas saisi" in messages(projet, v.budget_equilibre)


def test_accueil_et_accessibilite(projet):
    projet.sections.filter(type=Type.PROJET_ACCUEIL).update(contenu="Un accueil chaleureux.")
    assert "accessibles" in messages(projet, v.accueil_accessibilite)
    projet.sections.filter(type=Type.PROJET_ACCUEIL).delete()
    assert "Le projet accueil n'est pas écrit." in messages(projet, v.accueil_accessibilite)


def test_publics(projet):
    projet.fiches.filter(public_vise__startswith="Seniors").update(public_vise="Tous publics")
    texte = messages(projet, v.fiches_publics)
    assert "Aucune fiche ne vise les seniors" in texte
    assert "public fragile" in texte
    projet.fiches.update(projet_familles=False)
    projet.fiches.filter(public_vise__startswith="Enfants").update(public_vise="Enfants")
    assert "Aucune fiche ne vise les familles" in messages(projet, v.fiches_publics)


def test_volet_familles(projet):
    projet.fiches.update(projet_familles=False)
    projet.sections.filter(type=Type.PROJET_FAMILLES).delete()
    texte = messages(projet, v.volet_familles)
    assert "Le projet familles n'est pas écrit." in texte
    assert "Aucune fiche n'est rattachée au projet familles" in texte
    assert "référente familles n'est nommé" in texte
    # The référente named in the structure's team is enough.
    projet.structure.equipe = "- Nadia Saïdi, référente familles"
    projet.structure.save()
    assert "référente familles" not in messages(projet, v.volet_familles)


def test_volet_familles_sans_objet_avant_2027_sans_acf(projet):
    projet.agrement_acf = False
    projet.annee_debut, projet.annee_fin = 2023, 2026
    assert isinstance(manques(projet, v.volet_familles), v.SansObjet)
    projet.annee_fin = 2027
    assert manques(projet, v.volet_familles) == []


def test_validation_par_les_instances(projet):
    projet.date_validation_instances = None
    (manque,) = manques(projet, v.validation_instances)
    assert manque.lien == reverse("projets:modifier", args=[projet.pk])


def test_engagements_des_partenaires(projet):
    partenariat = PartenariatAction.objects.filter(fiche__projet=projet).first()
    partenariat.confirme_le = None
    partenariat.save()
    (manque,) = manques(projet, v.engagements_partenaires)
    assert manque.message.startswith(
        "1 engagement de partenaires sur 4 n'a pas encore été confirmé"
    )
    assert f"{partenariat.partenaire} ({partenariat.fiche.reference})" in manque.message
    partenariat.confirmer(MembreFactory(structure=projet.structure).user)
    assert manques(projet, v.engagements_partenaires) == []
    PartenariatAction.objects.filter(fiche__projet=projet).delete()
    assert isinstance(manques(projet, v.engagements_partenaires), v.SansObjet)


def test_poste_de_direction(projet):
    structure = projet.structure
    structure.equipe = "- Deux animateurs\n- Une chargée d'accueil"
    structure.save()
    (manque,) = manques(projet, v.poste_direction)
    assert "Le poste de direction n'apparaît" in manque.message
    assert manque.lien == reverse("projets:structure_modifier", args=[projet.pk])
    structure.equipe = "- Une directrice à temps plein"
    structure.save()
    (manque,) = manques(projet, v.poste_direction)
    assert "qualification de la direction" in manque.message
    # The chapter « Organisation et équipe » may say it instead of the équipe's list.
    SectionProjetFactory(
        projet=projet, type=Type.ORGANISATION, contenu="La directrice est diplômée d'un master."
    )
    assert manques(projet, v.poste_direction) == []
    structure.type = structure.Type.EVS
    structure.equipe = ""
    structure.save()
    projet.sections.filter(type=Type.ORGANISATION).delete()
    assert isinstance(manques(projet, v.poste_direction), v.SansObjet)


def test_quartiers_prioritaires(projet):
    section = projet.sections.get(type=Type.POINT_DE_VUE_HABITANTS)
    section.contenu = "Les habitants ont répondu à l'enquête."
    section.save()
    (manque,) = manques(projet, v.quartiers_prioritaires)
    assert "« Vergers » est un quartier prioritaire" in manque.message
    # Its quartiers, or the words of the politique de la ville, in a fiche are enough.
    territoire = projet.structure.territoires.get()
    territoire.quartiers = "Les Érables, Le Moulin"
    territoire.save()
    fiche = projet.fiches.first()
    fiche.contexte = "Au pied des immeubles des Erables."
    fiche.save()
    assert manques(projet, v.quartiers_prioritaires) == []
    fiche.contexte = "Le contrat de ville finance l'action."
    fiche.save()
    assert len(manques(projet, v.quartiers_prioritaires)) == 1
    fiche.contexte = "Une action du contrat de ville (politique de la ville)."
    fiche.save()
    assert manques(projet, v.quartiers_prioritaires) == []
    territoire.qpv = False
    territoire.save()
    assert isinstance(manques(projet, v.quartiers_prioritaires), v.SansObjet)
