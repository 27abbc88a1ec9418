"""The detector finds the projet's parts in both layouts, with one table of synonyms."""

import pytest

from importation.analyse import analyser
from importation.blocs import TABLEAU, TITRE, Bloc, Cellule, Element
from importation.detection import detecter
from importation.mesure import ecrire, score
from importation.proposition import IGNORE
from importation.synonymes import reconnaitre
from tests.factories import PartenaireFactory, StructureFactory


@pytest.mark.parametrize(
    ("texte", "champ"),
    [
        ("PRÉAMBULE :", "contexte"),
        ("Contexte", "contexte"),
        ("O b j e t", None),
        ("Partenaires associés", "partenaires"),
        ("Partenariat Potentiel", "partenaires"),
        ("Évaluation", "indicateurs"),
        ("INDICATEURS D'ÉVALUATION", "indicateurs"),
        ("Moyens humains :", "moyens_humains"),
        ("Objectifs général / opérationnels", "objectifs"),
        ("2.3. Freins à lever", "freins"),
        ("F r e i n s", "freins"),
        ("Une phrase qui parle de partenaires", None),
    ],
)
def test_une_seule_table_de_rubriques_sans_accents_casse_ni_ponctuation(texte, champ):
    assert reconnaitre(texte, "fiche") == champ


def test_les_lettres_espacees_d_un_en_tete_de_colonne():
    assert reconnaitre("O b j e t", "colonne") == "objet"
    assert reconnaitre("I n d i c a t e u r", "colonne") == "indicateur"
    assert reconnaitre("E c h é a n c i e r", "colonne") == "periode"


@pytest.mark.parametrize("format_", ["docx", "odt"])
@pytest.mark.parametrize("disposition", ["titres", "tableaux"])
def test_chaque_rubrique_de_chaque_fiche_va_dans_son_champ(format_, disposition, request):
    document = request.getfixturevalue(f"synthetique_{disposition}")
    proposition = analyser(ecrire.ecrire(document, format_), f"projet.{format_}")
    note = score.noter(proposition, document.attendus)
    assert (note.trouvees, note.justes) == (note.attendues, note.champs), note.manques[:5]
    assert [a.numero for a in proposition.axes] == [1, 2]
    assert (proposition.annee_debut, proposition.annee_fin) == (2025, 2028)
    assert [f.projet_familles for f in proposition.fiches] == [True, False] * 3
    assert not any(f.projet_jeunesse for f in proposition.fiches)
    assert {s.sigle for s in proposition.sigles} == {"CAF", "QPV", "ACF", "EVS"}
    assert {s.type for s in proposition.sections} >= {"preambule", "portrait"}


def test_chaque_morceau_garde_sa_source_et_sa_cible(docx_synthetique):
    proposition = analyser(docx_synthetique, "projet.docx")
    blocs = proposition.blocs
    for morceau in proposition.morceaux:
        assert morceau.texte.replace("\n", " ")[:20] in blocs[morceau.bloc].contenu.replace(
            "\n", " "
        )
        assert morceau.position.startswith(blocs[morceau.bloc].position)
    contexte = [m for m in proposition.morceaux if m.champ == "contexte"]
    assert contexte and all(proposition.fiche(m.objet) for m in contexte)


def test_ce_qui_n_est_pas_place_est_liste():
    blocs = [
        Bloc(0, TITRE, texte="Axe 1 : Accéder à ses droits", niveau=1),
        Bloc(1, "paragraphe", texte="Monsieur le Maire, signature."),
        Bloc(2, TITRE, texte="Fiche action 1 : Permanences", niveau=2),
        Bloc(3, TITRE, texte="Public visé", niveau=3),
        Bloc(4, "paragraphe", texte="Les habitants du quartier."),
    ]
    proposition = detecter(blocs, "a.docx")
    assert [m.texte for m in proposition.non_places()] == ["Monsieur le Maire, signature."]
    assert [m.texte for m in proposition.morceaux if m.champ == "public_vise"] == [
        "Les habitants du quartier."
    ]


def tableau(*lignes):
    return Bloc(
        0,
        TABLEAU,
        lignes=[
            [
                Cellule(colonne=k, elements=[Element(t) for t in c.split("\n")] if c else [])
                for k, c in enumerate(ligne)
            ]
            for ligne in lignes
        ],
    )


def test_un_tableau_de_fiche_avec_rubriques_au_dessus_de_leur_contenu():
    blocs = [
        Bloc(0, TITRE, texte="AXE 2 : Grandir", niveau=1),
        Bloc(1, TITRE, texte="03. Les ateliers parents-enfants", niveau=2),
        tableau(
            ["Contexte", "", "Objectif général / Objectifs opérationnels"],
            ["Des parents isolés.", "", "Soutenir les parents"],
            ["Freins à lever", "", ""],
            ["Le coût des sorties.", "", "Indicateurs qualitatifs\nConfiance des parents"],
        ),
    ]
    for n, bloc in enumerate(blocs):
        bloc.numero = n
    proposition = detecter(blocs, "a.docx")
    (fiche,) = proposition.fiches
    assert (fiche.numero, fiche.titre) == (3, "Les ateliers parents-enfants")
    champs = {
        m.champ: m.texte
        for m in proposition.morceaux
        if m.objet == fiche.id and m.champ not in (IGNORE, "titre")
    }
    assert champs == {
        "contexte": "Des parents isolés.",
        "objectifs_generaux": "Soutenir les parents",
        "freins": "Le coût des sorties.",
        "indicateurs": "Confiance des parents",
    }
    indicateur = next(m for m in proposition.morceaux if m.champ == "indicateurs")
    assert indicateur.details["nature"] == "qualitatif"


def test_les_tableaux_objet_indicateur_outil_et_etapes_echeancier():
    blocs = [
        Bloc(0, "paragraphe", texte="Action 4"),
        Bloc(1, "paragraphe", texte="SORTIES EN FAMILLE", gras=True),
        tableau(
            ["EVALUATION", "", ""],
            ["O b j e t", "I n d i c a t e u r", "O u t i l s"],
            ["Mobilisation", "nombre de familles", "fiches de présence"],
        ),
        tableau(
            ["MODALITES", ""],
            ["E t a p e s", "E c h é a n c i e r"],
            ["Préparer avec les familles", "Mai 2026"],
        ),
        tableau(["Niveau actuel", "", "Niveau visé"], ["Consultation", "", "Co-décision"]),
    ]
    for n, bloc in enumerate(blocs):
        bloc.numero = n
    proposition = detecter(blocs, "a.docx")
    (fiche,) = proposition.fiches
    assert (fiche.numero, fiche.titre) == (4, "SORTIES EN FAMILLE")
    indicateur = next(m for m in proposition.morceaux if m.champ == "indicateurs")
    assert (indicateur.texte, indicateur.details) == (
        "nombre de familles",
        {"objet_evalue": "Mobilisation", "outil": "fiches de présence"},
    )
    etape = next(m for m in proposition.morceaux if m.champ == "echeancier")
    assert (etape.texte, etape.details["periode"]) == ("Préparer avec les familles", "Mai 2026")
    assert (fiche.participation_actuelle, fiche.participation_visee) == (2, 5)


def test_un_arbre_d_objectifs_en_tableau_donne_enjeux_objectifs_codes_et_annees():
    blocs = [
        Bloc(0, TITRE, texte="AXE 1 : Accéder à ses droits", niveau=1),
        tableau(
            ["", "*", "2025", "2026"],
            ["Enjeu n° 1 : Favoriser l'accès aux droits", "", "", ""],
            ["Développer l'inclusion numérique", "", "", ""],
            ["01. Les ateliers numériques", "E", "x", ""],
            ["02. La permanence juridique", "NA", "x", "x"],
        ),
        Bloc(2, TITRE, texte="01. Les ateliers numériques", niveau=2),
        Bloc(3, TITRE, texte="Contexte", niveau=3),
        Bloc(4, "paragraphe", texte="Beaucoup de démarches se font en ligne."),
        Bloc(5, TITRE, texte="Public visé", niveau=3),
        Bloc(6, "paragraphe", texte="Adultes."),
    ]
    for n, bloc in enumerate(blocs):
        bloc.numero = n
    proposition = detecter(blocs, "a.docx")
    assert [(e.numero, e.titre) for e in proposition.enjeux] == [
        (1, "Favoriser l'accès aux droits")
    ]
    assert [o.titre for o in proposition.objectifs] == ["Développer l'inclusion numérique"]
    (fiche,) = proposition.fiches
    assert (fiche.statut_plan, fiche.annees, fiche.objectifs) == (
        "E",
        [2025],
        [proposition.objectifs[0].id],
    )


def test_les_partenaires_sont_relies_a_l_annuaire_par_leur_nom_ou_leur_sigle(db):
    structure = StructureFactory()
    caf = PartenaireFactory(structure=structure, nom="Caisse d'allocations familiales", sigle="CAF")
    ville = PartenaireFactory(structure=structure, nom="Ville de Vierzon")
    PartenaireFactory(nom="France Loire")  # another structure's directory
    blocs = [
        Bloc(0, "paragraphe", texte="Action 1 : Aller vers"),
        Bloc(1, "paragraphe", texte="Partenaires associés", gras=True),
        Bloc(
            2,
            "paragraphe",
            texte="CAF, VILLE DE VIERZON, France Loire, Écoles (maternelles, élémentaires)",
        ),
        Bloc(3, "paragraphe", texte="Public visé : habitants"),
    ]
    for n, bloc in enumerate(blocs):
        bloc.numero = n
    proposition = detecter(
        blocs, "a.docx", annuaire=structure.partenaires.values_list("pk", "nom", "sigle")
    )
    assert [(p.nom, p.existant) for p in proposition.partenaires] == [
        ("CAF", caf.pk),
        ("VILLE DE VIERZON", ville.pk),
        ("France Loire", None),
        ("Écoles (maternelles, élémentaires)", None),
    ]


def test_un_tableau_de_chiffres_cles():
    blocs = [
        Bloc(0, TITRE, texte="Axe 1 : Vivre ensemble", niveau=1),
        Bloc(1, TITRE, texte="Portrait de territoire", niveau=1),
        tableau(
            ["Indicateur", "Quartier", "Ville"],
            ["Habitants", "4 250", "143 000"],
            ["Part des moins de 25 ans", "38,5 %", "29 %"],
        ),
    ]
    for n, bloc in enumerate(blocs):
        bloc.numero = n
    proposition = detecter(blocs, "a.docx")
    assert [(c.libelle, c.valeur, c.unite, c.comparaisons) for c in proposition.chiffres] == [
        ("Habitants", "4 250", "", {"Ville": "143 000"}),
        ("Part des moins de 25 ans", "38,5", "%", {"Ville": "29"}),
    ]
