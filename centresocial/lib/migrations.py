"""What a migration that moves a model to another app runs so that nothing written about its rows
is left behind: the model's content type follows it.

Django's SeparateDatabaseAndState moves the table; the content type stays under the old app's
label, and `migrate` creates a second one under the new label. The history of the model's rows
(django-auditlog), the admin's journal and the permissions given to groups and accounts point to
the first one: they would no longer be found for the model.
"""


def deplacer_type_de_contenu(apps, modele, depuis, vers):
    """Move the content type of `modele` (its lowercase name) from app label `depuis` to `vers`:
    renamed when only the old one exists; when `migrate` already created the new one, what points
    to the old one (history, admin journal, permissions by codename) is moved to it, then the old
    one is deleted."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ancien = ContentType.objects.filter(app_label=depuis, model=modele).first()
    if ancien is None:
        return
    nouveau = ContentType.objects.filter(app_label=vers, model=modele).first()
    if nouveau is None:
        ancien.app_label = vers
        ancien.save(update_fields=["app_label"])
        return

    for app, nom in [("auditlog", "LogEntry"), ("admin", "LogEntry")]:
        apps.get_model(app, nom).objects.filter(content_type=ancien).update(content_type=nouveau)

    Permission = apps.get_model("auth", "Permission")
    nouvelles = {p.codename: p for p in Permission.objects.filter(content_type=nouveau)}
    for permission in Permission.objects.filter(content_type=ancien):
        remplacante = nouvelles.get(permission.codename)
        if remplacante is None:
            permission.content_type = nouveau
            permission.save(update_fields=["content_type"])
            continue
        for groupe in permission.group_set.all():
            groupe.permissions.add(remplacante)
        for compte in permission.user_set.all():
            compte.user_permissions.add(remplacante)
    ancien.delete()  # and the old permissions with it


def deplacement_du_type_de_contenu(modele, depuis, vers):
    """The RunPython operation of the move, reversible."""
    from django.db import migrations

    def aller(apps, schema_editor):
        deplacer_type_de_contenu(apps, modele, depuis, vers)

    def retour(apps, schema_editor):
        deplacer_type_de_contenu(apps, modele, vers, depuis)

    return migrations.RunPython(aller, retour)


# The apps whose models a move touches, at the migrations this code knows.
DEPENDANCES = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("admin", "0003_logentry_add_action_flag_choices"),
    ("auditlog", "0017_add_actor_email"),
]
