"""Every factory of tests/factories.py, with each of its traits, saves a row the model itself
accepts (`full_clean`): a test built on factories starts from data the app could hold."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

FABRIQUES = sorted(
    (
        f
        for _, f in inspect.getmembers(factories, inspect.isclass)
        if issubclass(f, factory.django.DjangoModelFactory) and f._meta.model is not None
    ),
    key=lambda f: f.__name__,
)
CAS = [
    pytest.param(fabrique, trait, id=f"{fabrique.__name__}-{trait}" if trait else fabrique.__name__)
    for fabrique in FABRIQUES
    # django-axes writes its rows itself, leaving empty fields its model calls required.
    if fabrique._meta.model._meta.app_label != "axes"
    for trait in [
        None,
        *(n for n, p in fabrique._meta.parameters.items() if isinstance(p, factory.Trait)),
    ]
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fabrique", "trait"), CAS)
def test_la_fabrique_donne_une_ligne_valide(fabrique, trait):
    objet = fabrique(**({trait: True} if trait else {}))
    objet.full_clean()
    assert type(objet)._default_manager.filter(pk=objet.pk).exists()


def test_chaque_modele_du_projet_a_sa_fabrique():
    nos_apps = {"projets", "partenaires", "actions", "evaluation", "dossier", "importation"}
    modeles = {m for m in apps.get_models() if m._meta.app_label in nos_apps}
    sans_fabrique = sorted(m.__name__ for m in modeles - {f._meta.model for f in FABRIQUES})
    assert not sans_fabrique, f"Modèles sans fabrique dans tests/factories.py : {sans_fabrique}"
