"""Numbers typed the French way are read as meant, refused when they are not one number, and
printed the same way everywhere."""

from decimal import Decimal

import pytest
from django import forms

from actions.models import Indicateur, Moyen
from centresocial.lib.nombres import (
    ChampEntier,
    ChampNombre,
    NombreIllisible,
    format_montant,
    format_nombre,
    lire_nombre,
)
from evaluation.models import BilanAction, CibleAnnuelle, Resultat
from projets.models import ChiffreCle, Enjeu, LigneBudget, ProjetSocial, Structure


@pytest.mark.parametrize(
    "saisie, attendu",
    [
        ("2,6", "2.6"),
        ("2.6", "2.6"),
        ("1 250,50", "1250.50"),
        ("1 250", "1250"),
        ("1\u00a0250", "1250"),  # no-break space
        ("1\u202f250", "1250"),  # narrow no-break space, as we print them
        ("12 345 678,9", "12345678.9"),
        ("-3", "-3"),
        ("\u22123", "-3"),  # the minus sign
        ("  42  ", "42"),
        ("0,5", "0.5"),
        (",5", "0.5"),
        ("+7", "7"),
    ],
)
def test_lire_nombre_lit_ce_que_l_on_veut_dire(saisie, attendu):
    assert lire_nombre(saisie) == Decimal(attendu)


@pytest.mark.parametrize(
    "saisie",
    ["60 à 80", "2,6,7", "environ 30", "1 25", "1.250,50", "2,", "-", "1e5", "12 %", "3-4", "½"],
)
def test_lire_nombre_refuse_ce_qui_n_est_pas_un_nombre(saisie):
    with pytest.raises(NombreIllisible):
        lire_nombre(saisie)


def test_vide():
    assert lire_nombre("") is None and lire_nombre("   ") is None


@pytest.mark.parametrize(
    "valeur, nombre, montant",
    [
        ("2.60", "2,6", "2,60"),
        ("1250.50", "1\u202f250,5", "1\u202f250,50"),
        ("300.00", "300", "300"),
        ("-3.00", "\u22123", "\u22123"),
        ("0", "0", "0"),
        ("1234567", "1\u202f234\u202f567", "1\u202f234\u202f567"),
    ],
)
def test_un_nombre_s_imprime_d_une_seule_facon(valeur, nombre, montant):
    assert format_nombre(Decimal(valeur)) == nombre
    assert format_montant(Decimal(valeur)) == montant


def test_rien_pour_une_valeur_absente():
    assert format_nombre(None) == "" and format_montant(None) == ""


class Formulaire(forms.Form):
    valeur = ChampNombre(required=False, max_digits=6, decimal_places=2, precision="Précision")
    nombre = ChampEntier(required=False, min_value=0)


def test_le_champ_refuse_avec_un_message_en_francais_et_garde_la_saisie():
    form = Formulaire({"valeur": "60 à 80", "nombre": "2,5"})
    assert not form.is_valid()
    assert form.errors["valeur"] == [
        "« 60 à 80 » n'est pas un nombre : écrivez un seul nombre, par exemple 2,6 ou 1 250. "
        "Une fourchette ou une estimation va dans « Précision »."
    ]
    assert "n'est pas un nombre entier" in form.errors["nombre"][0]
    html = str(form["valeur"])
    assert 'value="60 à 80"' in html


def test_trop_de_decimales_sont_refusees_jamais_arrondies():
    form = Formulaire({"valeur": "2,675"})
    assert not form.is_valid()
    assert "2 chiffres après la virgule" in form.errors["valeur"][0]


def test_saisie_texte_jamais_type_number():
    form = Formulaire(initial={"valeur": Decimal("1250.50"), "nombre": 2029})
    html = str(form)
    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html
    # Shown as it prints, without a thousands separator (a year stays 2029).
    assert 'value="1250,5"' in html and 'value="2029"' in html


@pytest.mark.parametrize(
    "modele, champ",
    [
        (Moyen, "quantite"),
        (Moyen, "montant"),
        (Indicateur, "valeur_reference"),
        (Indicateur, "cible"),
        (ChiffreCle, "valeur"),
        (ChiffreCle, "annee"),
        (LigneBudget, "montant"),
        (LigneBudget, "annee"),
        (ProjetSocial, "annee_debut"),
        (ProjetSocial, "annee_fin"),
        (Enjeu, "numero"),
        (Structure, "nombre_agents"),
        (CibleAnnuelle, "valeur"),
        (Resultat, "valeur"),
        (BilanAction, "montant_ressources"),
        (BilanAction, "participants"),
        (BilanAction, "benevoles"),
        (BilanAction, "salaries"),
    ],
)
def test_chaque_nombre_saisi_passe_par_le_meme_lecteur(modele, champ):
    champ_formulaire = modele._meta.get_field(champ).formfield()
    assert isinstance(champ_formulaire, (ChampNombre, ChampEntier))
    assert 'type="number"' not in str(champ_formulaire.widget.render(champ, None))


def test_l_administration_saisit_aussi_les_nombres_en_texte(admin_client, db):
    from tests.factories import FicheActionFactory

    projet = FicheActionFactory().projet
    page = admin_client.get(f"/admin/projets/projetsocial/{projet.pk}/change/").text
    champ = next(m for m in page.split("<input") if 'name="annee_debut"' in m)
    assert 'type="text"' in champ and 'inputmode="numeric"' in champ
