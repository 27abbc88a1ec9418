"""Ranks are counted from 1 everywhere: new rows default to 1, and the groups that started at 0
are numbered 1…n again in their order."""

from itertools import groupby
from operator import attrgetter

from django.db import migrations, models

# (model, field holding the rank, fields its group shares), as projets.ordre.Ordonne says. The
# enjeux are left out: a constraint has kept their numbers from 1 all along.
GROUPES = [
    ("Axe", "ordre", ["projet_id", "transversal"]),
    ("ObjectifGeneral", "ordre", ["axe_id", "enjeu_id"]),
    ("SectionProjet", "ordre", ["projet_id"]),
    ("ImageSection", "ordre", ["section_id"]),
    ("InstanceGouvernance", "ordre", ["projet_id"]),
    ("ColonneChiffres", "ordre", ["territoire_id"]),
    ("ChiffreCle", "ordre", ["territoire_id"]),
]


def numeroter_depuis_un(apps, schema_editor):
    for nom, champ, groupe in GROUPES:
        Modele = apps.get_model("projets", nom)
        lignes = Modele.objects.order_by(*groupe, champ, "pk").only("pk", champ, *groupe)
        cle = attrgetter(*groupe)
        renumerotees = []
        for _, freres in groupby(lignes.iterator(), key=cle):
            freres = list(freres)
            if getattr(freres[0], champ) != 0:
                continue
            for rang, ligne in enumerate(freres, start=1):
                if getattr(ligne, champ) != rang:
                    setattr(ligne, champ, rang)
                    renumerotees.append(ligne)
        Modele.objects.bulk_update(renumerotees, [champ], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("projets", "0006_delete_exportdossier"),
    ]

    operations = [
        migrations.AlterField(
            model_name="chiffrecle",
            name="ordre",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="ordre"),
        ),
        migrations.AlterField(
            model_name="colonnechiffres",
            name="ordre",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="ordre"),
        ),
        migrations.AlterField(
            model_name="imagesection",
            name="ordre",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="ordre"),
        ),
        migrations.AlterField(
            model_name="instancegouvernance",
            name="ordre",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="ordre"),
        ),
        migrations.AlterField(
            model_name="objectifgeneral",
            name="ordre",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="ordre"),
        ),
        migrations.AlterField(
            model_name="sectionprojet",
            name="ordre",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="ordre"),
        ),
        migrations.RunPython(numeroter_depuis_un, migrations.RunPython.noop),
    ]
