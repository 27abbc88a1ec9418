from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def retenir_membre_federation(sender, request, user, **kwargs):
    """Remember in the session whether the user belongs to a fédération, so the navigation
    offers « Fédération » without one more query on every page (a link only: access is
    decided in the views)."""
    from projets.models import Federation

    request.session["membre_federation"] = Federation.objects.filter(membres=user).exists()


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = "Fédérations"

    def ready(self):
        user_logged_in.connect(retenir_membre_federation, dispatch_uid="membre_federation")
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from actions.models import FicheAction
        from evaluation.models import BilanAction
        from projets.models import Federation, ProjetSocial, Structure

        from .chiffres import fiche_creee_ou_supprimee, nouvelle_generation

        for modele in (BilanAction, FicheAction, ProjetSocial, Structure, Federation):
            recepteur = fiche_creee_ou_supprimee if modele is FicheAction else nouvelle_generation
            for signal in (post_save, post_delete):
                signal.connect(
                    recepteur, sender=modele, dispatch_uid=f"federation-{modele.__name__}"
                )
        m2m_changed.connect(
            nouvelle_generation,
            sender=Federation.structures.through,
            dispatch_uid="federation-structures",
        )
