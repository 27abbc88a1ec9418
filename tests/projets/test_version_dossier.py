"""The content version of the dossier, which decides whether an export is offered again as up to
date: it follows what the dossier prints, whatever model holds it (with or without a history
entry, a `bulk_update` or a queryset `update`), and nothing that the dossier does not print."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import (
    CommentairePartenaire,
    EtapeEcheancier,
    FicheAction,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)
from centresocial.templatetags import texte
from dossier import exports, rendu, taches
from dossier.models import ExportDossier
from dossier.rendu import Rendu, html_dossier
from dossier.taches import exporter_dossier
from evaluation.models import BilanAction, CibleAnnuelle, Resultat
from partenaires.forms import PartenaireForm
from projets.forms.contenu import ChiffreCleForm, TerritoireForm
from projets.forms.projet import ProjetForm, StructureForm
from projets.models import (
    Axe,
    ChiffreCle,
    ColonneChiffres,
    Enjeu,
    ImageSection,
    InstanceGouvernance,
    LigneBudget,
    Membre,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
    Territoire,
    ValeurComparee,
)
from tests.factories import (
    AnneeActionFactory,
    BilanActionFactory,
    ChiffreCleFactory,
    CibleAnnuelleFactory,
    ColonneChiffresFactory,
    CommentairePartenaireFactory,
    ConstatFactory,
    ConsultationFactory,
    ContactPartenaireFactory,
    EnjeuFactory,
    EtapeEcheancierFactory,
    ExportDossierFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    FichierBilanFactory,
    ImageSectionFactory,
    IndicateurFactory,
    InstanceGouvernanceFactory,
    LigneBudgetFactory,
    MembreFactory,
    MoyenFactory,
    ObjectifGeneralFactory,
    ObjectifOperationnelFactory,
    PartenaireFactory,
    PartenariatActionFactory,
    ProjetSocialFactory,
    ReglagesDossierFactory,
    ResultatFactory,
    SectionProjetFactory,
    SigleFactory,
    StructureFactory,
    TerritoireFactory,
    ValeurCompareeFactory,
    image_png,
)
from tests.outils import doubler_fiches

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def projet(db):
    """A projet with a row of every kind, printed or not: all that the demo has, small enough to
    be built again for each test."""
    structure = StructureFactory(porteur="Ville de Clermont-Ferrand", logo=image_png("logo.png"))
    projet = ProjetSocialFactory(structure=structure, date_dossier="Mars 2025")
    referente = MembreFactory(
        structure=structure, direction=True, user__username="direction", user__first_name="Inès"
    ).user
    MembreFactory(structure=structure, user__username="equipe")
    sections = [
        SectionProjetFactory(projet=projet, type=t, ordre=i, contenu=f"Texte : {t}.")
        for i, t in enumerate(["preambule", "methodologie", "portrait", "besoins"], start=1)
    ]
    ImageSectionFactory(
        section=sections[2], image=image_png("carte.png"), texte_alternatif="Carte", legende="Carte"
    )
    territoire = TerritoireFactory(structure=structure, nom="Saint-Jacques")
    colonne = ColonneChiffresFactory(territoire=territoire, intitule="Métropole")
    chiffre = ChiffreCleFactory(
        territoire=territoire, libelle="Habitants", valeur=7900, unite="habitants"
    )
    ValeurCompareeFactory(chiffre=chiffre, colonne=colonne, valeur=30)
    enjeu = EnjeuFactory(axe__projet=projet, description="Un quartier qui vieillit.")
    fiche = FicheActionFactory(
        axe=enjeu.axe, referent=referente, statut=FicheAction.Statut.EN_COURS, contexte="Avant."
    )
    FicheObjectifFactory(fiche=fiche, objectif=ObjectifGeneralFactory(enjeu=enjeu), principal=True)
    AnneeActionFactory(fiche=fiche, annee=2025)
    ObjectifOperationnelFactory(fiche=fiche, libelle="Accueillir les familles")
    EtapeEcheancierFactory(fiche=fiche, libelle="Lancement", periode="Rentrée")
    MoyenFactory(fiche=fiche, type=Moyen.Type.HUMAIN, libelle="Une animatrice")
    partenaire = PartenariatActionFactory(fiche=fiche, role="pilote").partenaire
    indicateur = IndicateurFactory(fiche=fiche, cible=20, unite="familles")
    InstanceGouvernanceFactory(projet=projet, nom="Comité de pilotage", frequence="L'été")
    LigneBudgetFactory(
        projet=projet, annee=2025, sens=LigneBudget.Sens.CHARGE, libelle="Salaires", montant=900
    )
    SigleFactory(projet=projet, sigle="ACF", signification="Animation collective")
    # What the dossier does not print: the evaluation, the partners' comments and contacts.
    ResultatFactory(indicateur=indicateur, annee=2025, valeur=12)
    CibleAnnuelleFactory(indicateur=indicateur, annee=2025, valeur=10)
    bilan = BilanActionFactory(fiche=fiche, annee=2025, limites="Peu de monde.")
    FichierBilanFactory(
        bilan=bilan, fichier=ContentFile(b"%PDF-1.7 compte rendu", name="compte-rendu.pdf")
    )
    CommentairePartenaireFactory(fiche=fiche, partenaire=partenaire, texte="Nous y serons.")
    ContactPartenaireFactory(partenaire=partenaire, nom="Léa Martin")
    return projet


def version(projet):
    """The version as the export page computes it, from the projet read again."""
    return exports.version_contenu(
        ProjetSocial.objects.select_related("structure").get(pk=projet.pk)
    )


def dossier(projet):
    return html_dossier(ProjetSocial.objects.select_related("structure").get(pk=projet.pk))


def premier(modele, **filtres):
    return modele.objects.filter(**filtres).order_by("pk").first()


def fiche_de(projet, **filtres):
    return premier(FicheAction, projet=projet, **filtres)


def modifier(objet, **champs):
    """Change fields and save, as any page does (with its history entry, where there is one)."""
    for nom, valeur in champs.items():
        setattr(objet, nom, valeur)
    objet.save()


def envoyer(client, url, formulaire, **changements):
    """Post the form of a row as the browser sends it untouched, but for `changements`."""
    donnees = {}
    for champ in formulaire:
        valeur = champ.value()
        if valeur is None or valeur is False or isinstance(champ.field, forms.FileField):
            continue
        donnees[champ.html_name] = "on" if valeur is True else str(valeur)
    reponse = client.post(url, {**donnees, **changements})
    assert reponse.status_code == 302, reponse.content.decode()[:3000]


def direction(client):
    client.force_login(User.objects.get(username="direction"))
    return client


# --- What the dossier prints: each edit changes the version ---------------------------------
# Each returns a text the edit puts into the dossier (None: the edit only moves what it prints).


def porteur_de_la_structure(projet, client):
    url = reverse("projets:structure_modifier", args=[projet.pk])
    envoyer(direction(client), url, StructureForm(instance=projet.structure), porteur="CCAS Sud")
    return "CCAS Sud"


def equipe_de_la_structure(projet, client):
    modifier(projet.structure, equipe="- Une animatrice numérique")
    return "Une animatrice numérique"


def date_du_dossier(projet, client):
    url = reverse("projets:modifier", args=[projet.pk])
    envoyer(direction(client), url, ProjetForm(instance=projet), date_dossier="Avril 2025")
    return "Avril 2025"


def mention_du_budget(projet, client):
    modifier(projet, budget_mention="Le budget est transmis à part.")
    return "Le budget est transmis à part."


def texte_d_une_section(projet, client):
    modifier(
        projet.sections.get(type=SectionProjet.Type.BESOINS), contenu="Des besoins tout neufs."
    )
    return "Des besoins tout neufs."


def ordre_des_sections(projet, client):
    """The méthodologie moved below the portrait, both in the diagnostic, on the contenu page."""
    section = projet.sections.get(type=SectionProjet.Type.METHODOLOGIE)
    url = reverse("projets:section_deplacer", args=[projet.pk, section.pk])
    assert direction(client).post(url, {"sens": "descendre"}).status_code == 302
    assert [s.type for s in projet.sections.all()][1:3] == ["portrait", "methodologie"]
    return None


def ordre_des_sections_par_bulk_update(projet, client):
    """The same move written by a `bulk_update`, which sends no signal and writes no history."""
    sections = list(projet.sections.filter(type__in=["methodologie", "portrait"]))
    sections[0].ordre, sections[1].ordre = sections[1].ordre, sections[0].ordre
    SectionProjet.objects.bulk_update(sections, ["ordre"])
    assert [s.type for s in projet.sections.all()][1:3] == ["portrait", "methodologie"]
    return None


def legende_d_une_image(projet, client):
    modifier(premier(ImageSection, section__projet=projet), legende="Le quartier vu du ciel")
    return "Le quartier vu du ciel"


def nom_d_un_territoire(projet, client):
    territoire = premier(Territoire, structure=projet.structure)
    url = reverse("projets:territoire_modifier", args=[projet.pk, territoire.pk])
    formulaire = TerritoireForm(instance=territoire, projet=projet)
    envoyer(direction(client), url, formulaire, nom="Les Vergers")
    return "Les Vergers"


def valeur_d_un_chiffre_cle(projet, client):
    chiffre = premier(ChiffreCle, territoire__structure=projet.structure)
    url = reverse("projets:chiffre_modifier", args=[projet.pk, chiffre.pk])
    formulaire = ChiffreCleForm(instance=chiffre, projet=projet)
    envoyer(direction(client), url, formulaire, valeur="8123")
    return "8\u202f123"


def valeur_comparee(projet, client):
    """A comparison value, typed in the chiffre clé's form under its column."""
    valeur = premier(ValeurComparee, chiffre__territoire__structure=projet.structure)
    chiffre = valeur.chiffre
    url = reverse("projets:chiffre_modifier", args=[projet.pk, chiffre.pk])
    formulaire = ChiffreCleForm(instance=chiffre, projet=projet)
    champ = formulaire.add_prefix(ChiffreCleForm.nom_colonne(valeur.colonne))
    envoyer(direction(client), url, formulaire, **{champ: "41,7"})
    assert ValeurComparee.objects.get(pk=valeur.pk).valeur == Decimal("41.7")
    return "41,7"


def valeur_comparee_par_update(projet, client):
    """A queryset `update`: no save(), no signal, no history."""
    valeur = premier(ValeurComparee, chiffre__territoire__structure=projet.structure)
    ValeurComparee.objects.filter(pk=valeur.pk).update(valeur=Decimal("99.5"))
    return "99,5"


def colonne_de_comparaison(projet, client):
    colonne = premier(ColonneChiffres, territoire__structure=projet.structure)
    modifier(colonne, intitule="Commune-centre")
    return "Commune-centre"


def titre_d_un_axe(projet, client):
    modifier(premier(Axe, projet=projet), titre="Vivre ensemble au quotidien")
    return "Vivre ensemble au quotidien"


def description_d_un_enjeu(projet, client):
    modifier(premier(Enjeu, projet=projet), description="Un enjeu décrit autrement.")
    return "Un enjeu décrit autrement."


def constat_d_un_enjeu(projet, client):
    """A finding of the diagnostic the enjeu answers: printed under the enjeu and in the arbre."""
    ConstatFactory(projet=projet, enonce="Peu de jeux pour les tout-petits").enjeux.add(
        premier(Enjeu, projet=projet)
    )
    return "Peu de jeux pour les tout-petits"


def constat_qu_aucun_enjeu_ne_cite(projet, client):
    ConstatFactory(projet=projet, enonce="Un constat en attente")


def titre_d_un_objectif(projet, client):
    modifier(premier(ObjectifGeneral, axe__projet=projet), titre="Sortir l'hiver")
    return "Sortir l&#x27;hiver"


def contexte_d_une_fiche(projet, client):
    modifier(fiche_de(projet), contexte="Un contexte récrit.")
    return "Un contexte récrit."


def acquis_d_une_fiche(projet, client):
    """Drafted at the renewal, then edited: printed in the fiche's table once written."""
    modifier(fiche_de(projet), acquis_periode_precedente="Trente familles accueillies en 2024.")
    return "Trente familles accueillies en 2024."


def objectif_d_une_fiche(projet, client):
    fiche = fiche_de(projet)
    objectif = ObjectifGeneralFactory(enjeu=premier(Enjeu, projet=projet), titre="Bien manger")
    FicheObjectifFactory(fiche=fiche, objectif=objectif, ordre=2)
    return "Bien manger"


def objectif_operationnel(projet, client):
    modifier(premier(ObjectifOperationnel, fiche__projet=projet), libelle="Ouvrir le samedi")
    return "Ouvrir le samedi"


def etape_de_l_echeancier(projet, client):
    modifier(premier(EtapeEcheancier, fiche__projet=projet), libelle="Bilan avec les familles")
    return "Bilan avec les familles"


def moyen(projet, client):
    modifier(premier(Moyen, fiche__projet=projet), libelle="Un minibus prêté")
    return "Un minibus prêté"


def indicateur(projet, client):
    modifier(premier(Indicateur, fiche__projet=projet), outil="Carnet de bord")
    return "Carnet de bord"


def annee_d_une_fiche(projet, client):
    """One more year of the fiche: a dot in the arbre, a year in the fiche's line."""
    AnneeActionFactory(fiche=fiche_de(projet), annee=projet.annee_fin)
    return None


def contribution_d_un_partenaire(projet, client):
    modifier(premier(PartenariatAction, fiche__projet=projet), contribution="Prête sa salle.")
    return "Prête sa salle."


def nom_d_un_partenaire(projet, client):
    partenaire = premier(PartenariatAction, fiche__projet=projet).partenaire
    url = reverse("partenaires:modifier", args=[partenaire.pk])
    envoyer(direction(client), url, PartenaireForm(instance=partenaire), nom="La Maison des aînés")
    return "La Maison des aînés"


def nom_d_un_referent(projet, client):
    referent = fiche_de(projet, referent__isnull=False).referent
    modifier(referent, first_name="Awa", last_name="Traoré")
    return "Awa Traoré"


def instance_de_gouvernance(projet, client):
    modifier(premier(InstanceGouvernance, projet=projet), frequence="Le premier lundi")
    return "Le premier lundi"


def ligne_de_budget(projet, client):
    modifier(premier(LigneBudget, projet=projet), libelle="Frais de bouche")
    return "Frais de bouche"


def sigle(projet, client):
    modifier(premier(Sigle, projet=projet), signification="Une signification nouvelle")
    return "Une signification nouvelle"


def logo_remplace_sur_le_disque(projet, client):
    """The same file name, another content (a restore): the dossier prints the new one."""
    with open(projet.structure.logo.path, "ab") as logo:
        logo.write(b"\0" * 16)
    return None


IMPRIMES = [
    porteur_de_la_structure,
    equipe_de_la_structure,
    date_du_dossier,
    mention_du_budget,
    texte_d_une_section,
    ordre_des_sections,
    ordre_des_sections_par_bulk_update,
    legende_d_une_image,
    nom_d_un_territoire,
    valeur_d_un_chiffre_cle,
    valeur_comparee,
    valeur_comparee_par_update,
    colonne_de_comparaison,
    titre_d_un_axe,
    description_d_un_enjeu,
    constat_d_un_enjeu,
    titre_d_un_objectif,
    contexte_d_une_fiche,
    acquis_d_une_fiche,
    objectif_d_une_fiche,
    objectif_operationnel,
    etape_de_l_echeancier,
    moyen,
    indicateur,
    annee_d_une_fiche,
    contribution_d_un_partenaire,
    nom_d_un_partenaire,
    nom_d_un_referent,
    instance_de_gouvernance,
    ligne_de_budget,
    sigle,
    logo_remplace_sur_le_disque,
]


@pytest.mark.parametrize("modification", IMPRIMES, ids=lambda f: f.__name__)
def test_ce_que_le_dossier_imprime_change_la_version(projet, client, modification):
    avant = version(projet)
    assert version(projet) == avant  # the same content, the same version
    imprime = modification(projet, client)
    if imprime:
        assert imprime in dossier(projet)
    assert version(projet) != avant


# --- What the dossier does not print: the version stays --------------------------------------
# (results, targets and bilans: unless the projet chose the evaluation chapter, below)


def resultat(projet, client):
    ligne = premier(Resultat, indicateur__fiche__projet=projet, valeur__isnull=False)
    modifier(ligne, valeur=ligne.valeur + 7, commentaire="Relevé à la main.")


def cible_annuelle(projet, client):
    cible = premier(CibleAnnuelle, indicateur__fiche__projet=projet)
    modifier(cible, valeur=cible.valeur + 3)


def bilan(projet, client):
    modifier(BilanAction.objects.du_projet(projet).first(), limites="Peu de monde en août.")


def fichier_d_un_bilan(projet, client):
    FichierBilanFactory(
        bilan=BilanAction.objects.du_projet(projet).first(),
        fichier=ContentFile(b"%PDF-1.7 photos", name="photos.pdf"),
        titre="Photos de la sortie",
    )


def commentaire_d_un_partenaire(projet, client):
    commentaire = premier(CommentairePartenaire, fiche__projet=projet)
    modifier(commentaire, texte="Finalement, nous viendrons à deux.")


def contact_d_un_partenaire(projet, client):
    partenaire = premier(PartenariatAction, fiche__projet=projet).partenaire
    ContactPartenaireFactory(partenaire=partenaire, nom="Léa Martin", fonction="Chargée")


def adresse_d_un_partenaire(projet, client):
    modifier(premier(PartenariatAction, fiche__projet=projet).partenaire, adresse="1 rue Haute")


def partenaire_qui_n_est_sur_aucune_fiche(projet, client):
    PartenaireFactory(structure=projet.structure, nom="Un partenaire sans action")


def statut_de_realisation_d_une_fiche(projet, client):
    fiche = fiche_de(projet, statut=FicheAction.Statut.EN_COURS)
    modifier(
        fiche, statut=FicheAction.Statut.TERMINEE, motif_fin=FicheAction.MotifFin.REORIENTATION
    )


def telephone_de_la_structure(projet, client):
    modifier(projet.structure, telephone="04 73 00 00 00", email="accueil@example.org")


def statut_du_projet(projet, client):
    projet.changer_statut(projet.transitions_possibles()[0])


def consultation(projet, client):
    ConsultationFactory(
        utilisateur=User.objects.get(username="direction"),
        page="dossier",
        objet=projet,
        structure=projet.structure,
    )


def role_d_un_membre(projet, client):
    membre = Membre.objects.get(structure=projet.structure, user__username="equipe")
    modifier(membre, role=Membre.Role.DIRECTION)


def connexion_d_un_referent(projet, client):
    client.force_login(fiche_de(projet, referent__isnull=False).referent)  # its last_login


def ordre_de_sections_de_chapitres_differents(projet, client):
    """The préambule moved below the méthodologie: each is alone in its chapter, and the
    chapters keep the CAF's order, so nothing moves in the dossier."""
    section = projet.sections.get(type=SectionProjet.Type.PREAMBULE)
    url = reverse("projets:section_deplacer", args=[projet.pk, section.pk])
    assert direction(client).post(url, {"sens": "descendre"}).status_code == 302
    assert projet.sections.first().type == SectionProjet.Type.METHODOLOGIE


NON_IMPRIMES = [
    resultat,
    cible_annuelle,
    bilan,
    fichier_d_un_bilan,
    commentaire_d_un_partenaire,
    contact_d_un_partenaire,
    adresse_d_un_partenaire,
    partenaire_qui_n_est_sur_aucune_fiche,
    statut_de_realisation_d_une_fiche,
    telephone_de_la_structure,
    statut_du_projet,
    consultation,
    role_d_un_membre,
    connexion_d_un_referent,
    ordre_de_sections_de_chapitres_differents,
    constat_qu_aucun_enjeu_ne_cite,
]


@pytest.mark.parametrize("modification", NON_IMPRIMES, ids=lambda f: f.__name__)
def test_ce_que_le_dossier_n_imprime_pas_garde_la_version(projet, client, modification):
    avant, html = version(projet), dossier(projet)
    modification(projet, client)
    assert dossier(projet) == html
    assert version(projet) == avant


# --- With the evaluation chapter chosen, the evaluation is printed -------------------------


@pytest.fixture
def avec_evaluation(projet):
    """The projet that chose the chapter « Évaluation des actions » for its dossier."""
    ReglagesDossierFactory(projet=projet, chapitre_evaluation=True)
    return projet


def resultat_imprime(projet, client):
    resultat(projet, client)
    return "Relevé à la main."


def cible_annuelle_imprimee(projet, client):
    cible_annuelle(projet, client)
    return "13\u00a0familles"


def bilan_imprime(projet, client):
    bilan(projet, client)
    return "Peu de monde en août."


def bilan_d_une_autre_annee(projet, client):
    BilanActionFactory(fiche=fiche_de(projet), annee=2026, perspectives="Un créneau le soir.")
    return "Un créneau le soir."


def resultat_non_renseigne(projet, client):
    modifier(premier(Resultat, indicateur__fiche__projet=projet), valeur=None, non_renseigne=True)
    return "non renseigné"


@pytest.mark.parametrize(
    "modification",
    [
        resultat_imprime,
        cible_annuelle_imprimee,
        bilan_imprime,
        bilan_d_une_autre_annee,
        resultat_non_renseigne,
    ],
    ids=lambda f: f.__name__,
)
def test_avec_le_chapitre_d_evaluation_resultats_et_bilans_changent_la_version(
    avec_evaluation, client, modification
):
    avant = version(avec_evaluation)
    imprime = modification(avec_evaluation, client)
    assert imprime in dossier(avec_evaluation)
    assert version(avec_evaluation) != avant


@pytest.mark.parametrize(
    "modification",
    [
        fichier_d_un_bilan,
        commentaire_d_un_partenaire,
        contact_d_un_partenaire,
        statut_de_realisation_d_une_fiche,
    ],
    ids=lambda f: f.__name__,
)
def test_avec_le_chapitre_d_evaluation_le_reste_garde_la_version(
    avec_evaluation, client, modification
):
    avant, html = version(avec_evaluation), dossier(avec_evaluation)
    modification(avec_evaluation, client)
    assert dossier(avec_evaluation) == html
    assert version(avec_evaluation) == avant


def test_choisir_le_chapitre_d_evaluation_change_la_version(projet):
    avant = version(projet)
    ReglagesDossierFactory(projet=projet, chapitre_evaluation=True)
    assert "Évaluation des actions" in dossier(projet)
    assert version(projet) != avant


def test_le_chapitre_choisi_sans_rien_a_imprimer_garde_la_version(db):
    """The version is what the dossier prints: a chapter with nothing in it is not printed."""
    projet = ProjetSocialFactory()
    IndicateurFactory(fiche__axe__projet=projet)
    avant = version(projet)
    ReglagesDossierFactory(projet=projet, chapitre_evaluation=True)
    assert version(projet) == avant


# --- The layout ---------------------------------------------------------------------------


def test_le_code_qui_ecrit_le_html_compte(projet, monkeypatch):
    """How a number prints (a helper, not a template) is in the version: the HTML shows it."""
    avant = version(projet)
    monkeypatch.setattr(texte, "format_nombre", lambda valeur: f"{valeur} (arrondi)")
    assert version(projet) != avant


@pytest.fixture
def gabarit(tmp_path, monkeypatch):
    """The stylesheet, the fonts and the dossier app's Python, copied where a test may change
    them."""
    statique, code = tmp_path / "static", tmp_path / "dossier"
    (statique / "fonts").mkdir(parents=True)
    code.mkdir()
    (statique / "dossier.css").write_text("body { font-family: 'Lato Dossier'; }")
    (statique / "fonts" / "Lato-Regular.ttf").write_bytes(b"une police")
    (code / "rendu.py").write_text('OPTIONS_PDF = {"pdf_variant": "pdf/ua-1"}\n')
    monkeypatch.setattr(rendu, "DOSSIER_STATIC", statique)
    monkeypatch.setattr(rendu, "CODE_DOSSIER", code)
    rendu.version_gabarit.cache_clear()
    yield tmp_path
    rendu.version_gabarit.cache_clear()


@pytest.mark.parametrize(
    "fichier, contenu",
    [
        ("static/dossier.css", "body { font-family: 'DejaVu Dossier'; }"),
        ("static/fonts/Lato-Regular.ttf", "une autre police"),
        ("dossier/rendu.py", 'OPTIONS_PDF = {"pdf_variant": "pdf/a-3b"}\n'),
        ("dossier/pdf.py", "# the PDF code moved to a module of its own\n"),
    ],
)
def test_la_mise_en_page_du_pdf_compte(gabarit, fichier, contenu):
    avant = rendu.version_gabarit()
    (gabarit / fichier).write_text(contenu)
    rendu.version_gabarit.cache_clear()
    assert rendu.version_gabarit() != avant


def test_une_autre_version_de_weasyprint_compte(gabarit, monkeypatch):
    avant = rendu.version_gabarit()
    monkeypatch.setattr(rendu.weasyprint, "__version__", "99.0")
    rendu.version_gabarit.cache_clear()
    assert rendu.version_gabarit() != avant


def test_la_version_tient_dans_son_champ(projet):
    assert len(version(projet)) <= ExportDossier._meta.get_field("version").max_length


# --- Its cost ---------------------------------------------------------------------------


def test_la_page_d_un_dossier_exporte_en_nombre_de_requetes_fixe(client, demo):
    """Saying whether the file is up to date reads all that the dossier prints: in as many
    queries for 94 fiches as for 47."""
    ExportDossierFactory(
        projet=demo, version="autre", statut=ExportDossier.Statut.TERMINE, pdf=b"%PDF-", pages=3
    )
    client.force_login(User.objects.get(username="equipe"))

    def requetes():
        with CaptureQueriesContext(connection) as requetes:
            assert "Le projet a changé depuis le dernier export" in page_d_export(client, demo)
        return len(requetes)

    avant = requetes()
    assert doubler_fiches(demo) == 94
    assert requetes() <= avant


def rendu_rapide(projet, progression=None, pages_estimees=None):
    return Rendu(pdf=b"%PDF-1.7", pages=3)


def test_l_etat_suivi_pendant_un_export_ne_calcule_pas_la_version(
    projet, client, monkeypatch, django_capture_on_commit_callbacks
):
    appels = []
    calculer = exports.version_contenu

    def version_comptee(projet):
        appels.append(projet.pk)
        return calculer(projet)

    monkeypatch.setattr("dossier.views.version_contenu", version_comptee)
    direction(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dossier:exporter", args=[projet.pk]))
    export = ExportDossier.objects.get()
    export.commencer()
    url = reverse("dossier:etat", args=[projet.pk])
    for _ in range(3):
        assert "Export en cours" in client.get(url).content.decode()
    ExportDossier.objects.filter(pk=export.pk).update(
        battement_le=timezone.now() - timedelta(hours=1)
    )
    assert "L'export s'est interrompu" in client.get(url).content.decode()
    assert appels == []

    monkeypatch.setattr(taches, "produire_export", rendu_rapide)
    ExportDossier.objects.filter(pk=export.pk).update(statut=ExportDossier.Statut.EN_ATTENTE)
    exporter_dossier.call(export.pk)
    assert "Le dossier est à jour" in client.get(url).content.decode()
    assert appels == [projet.pk]


# --- Through the export page ------------------------------------------------------------


@pytest.fixture
def exporte(projet, client, monkeypatch, django_capture_on_commit_callbacks):
    """The dossier exported by the worker (WeasyPrint left out: the PDF is not the point)."""
    monkeypatch.setattr(taches, "produire_export", rendu_rapide)
    direction(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dossier:exporter", args=[projet.pk]))
    exporter_dossier.call(ExportDossier.objects.get().pk)
    assert "Le dossier est à jour" in page_d_export(client, projet)
    return projet


def page_d_export(client, projet):
    return client.get(reverse("dossier:index", args=[projet.pk])).content.decode()


def exporter_encore(client, projet, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("dossier:exporter", args=[projet.pk]), follow=True)
    return reponse.content.decode()


def test_un_chiffre_cle_modifie_demande_un_nouvel_export(
    exporte, client, django_capture_on_commit_callbacks
):
    valeur_d_un_chiffre_cle(exporte, client)
    page = page_d_export(client, exporte)
    assert "Le dossier est à jour" not in page
    assert "Le projet a changé depuis le dernier export" in page
    assert reverse("dossier:exporter", args=[exporte.pk]) in page
    assert "Exporter le dossier</button>" in page
    assert "L&#x27;export du dossier a commencé" in exporter_encore(
        client, exporte, django_capture_on_commit_callbacks
    )
    assert ExportDossier.objects.count() == 2


def test_un_bilan_modifie_garde_le_dossier_a_jour(
    exporte, client, django_capture_on_commit_callbacks
):
    bilan(exporte, client)
    page = page_d_export(client, exporte)
    assert "Le dossier est à jour" in page
    assert reverse("dossier:exporter", args=[exporte.pk]) not in page
    assert "Le contenu n&#x27;a pas changé" in exporter_encore(
        client, exporte, django_capture_on_commit_callbacks
    )
    assert ExportDossier.objects.count() == 1


def test_l_export_garde_la_version_de_ce_qu_il_a_rendu(monde):
    """An edit made while the export waited for its worker: the finished export says it holds
    the newer content (not the version asked for), so the page never calls an older PDF up to
    date."""
    from dossier.exports import demander_export, version_contenu
    from dossier.models import ExportDossier
    from dossier.taches import exporter_dossier

    projet = monde.projet_1
    export, _ = demander_export(projet, monde.direction_1)
    demandee = export.version
    monde.fiche_1a.titre = "Titre changé pendant l'attente"
    monde.fiche_1a.save()
    exporter_dossier.call(export.pk)
    export = ExportDossier.objects.get(pk=export.pk)
    assert export.statut == ExportDossier.Statut.TERMINE
    assert export.version == version_contenu(projet) != demandee
