"""Structures, their members and territoires, and the projet social with its arbre d'objectifs."""

from datetime import date

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower

from centresocial.lib.images import verifier_image
from centresocial.lib.nombres import NombreDecimal, PetitEntierPositif
from centresocial.lib.portee import PorteeQuerySet
from projets.invitations import Invitation as JetonInvitation
from projets.ordre import Ordonne
from projets.signaux import statut_change

DUREE_MAX_PROJET = 6  # années, bornes comprises
# A date of the projet (a step, a measure, the CAF's decision) lies within this many years of its
# période: beyond is a typing mistake (« 9999-12-31 »), refused with a message.
MARGE_DATES = 5
ANNEES_POSSIBLES = range(1990, 2101)  # of a période: beyond is a typing mistake


class StructureQuerySet(PorteeQuerySet):
    def visible_to(self, user):
        """The structures a user works in (every structure for an admin, none for a partner)."""
        return self.portee(user, lambda structures, u: structures.filter(membres__user=u))

    def dirigees_par(self, user):
        """The one rule of « is direction of »: the structures where the user's role is
        direction (every structure for an admin)."""
        return self.portee(
            user,
            lambda structures, u: structures.filter(
                membres__user=u, membres__role=Membre.Role.DIRECTION
            ),
        )

    def suivies_par(self, user):
        """The structures of the fédérations a user belongs to: figures only, read-only (every
        structure for an admin). Never a way into a structure's pages: `visible_to` says that."""
        return self.portee(
            user, lambda structures, u: structures.filter(federations__membres=u).distinct()
        )

    def partagees_avec(self, user):
        """Among the structures a fédération member follows, those that share the content of
        their fiches with their fédération (read-only)."""
        return self.suivies_par(user).filter(partage_federation=True)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Structure(models.Model):
    class Type(models.TextChoices):
        CENTRE_SOCIAL = "centre_social", "Centre social"
        EVS = "evs", "Espace de vie sociale (EVS)"

    class Gestionnaire(models.TextChoices):
        COMMUNE = "commune", "Commune"
        ASSOCIATION = "association", "Association"
        CAF = "caf", "CAF"
        AUTRE = "autre", "Autre"

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=Type.choices, default=Type.CENTRE_SOCIAL)
    gestionnaire = models.CharField(
        "gestionnaire",
        max_length=20,
        choices=Gestionnaire.choices,
        default=Gestionnaire.ASSOCIATION,
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=10, blank=True)
    ville = models.CharField("ville", max_length=120, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    logo = models.ImageField(
        "logo", upload_to="structures/logos/", blank=True, validators=[verifier_image]
    )
    # What a dossier says of the structure: who carries it, where it sits, who works there.
    porteur = models.CharField(
        "porteur",
        max_length=255,
        blank=True,
        help_text="La commune, l'association ou l'organisme qui porte la structure.",
    )
    service = models.CharField(
        "service de rattachement",
        max_length=255,
        blank=True,
        help_text="Par exemple la direction ou le service municipal dont dépend la structure.",
    )
    caf = models.CharField(
        "CAF de rattachement", max_length=200, blank=True, help_text="Par exemple « CAF du Cher »."
    )
    nombre_agents = PetitEntierPositif("nombre d'agents", null=True, blank=True)
    equipe = models.TextField(
        "équipe",
        blank=True,
        help_text="Les postes et les personnes de l'équipe (Markdown : une ligne par poste).",
    )

    partage_federation = models.BooleanField(
        "partager le contenu des fiches avec la fédération",
        default=False,
        help_text="Sans ce choix, la fédération ne voit que des chiffres agrégés, jamais le "
        "texte des fiches.",
    )

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def natural_key(self):
        return (self.slug,)

    @property
    def faits(self):
        """The structure's facts a dossier prints, as (label, value), without the empty ones."""
        faits = [
            ("Type", self.get_type_display()),
            ("Gestionnaire", self.get_gestionnaire_display() if self.gestionnaire else ""),
            ("Porteur", self.porteur),
            ("Service de rattachement", self.service),
            ("CAF de rattachement", self.caf),
            ("Adresse", " ".join(t for t in (self.adresse, self.code_postal, self.ville) if t)),
            ("Nombre d'agents", "" if self.nombre_agents is None else str(self.nombre_agents)),
        ]
        return [(libelle, valeur) for libelle, valeur in faits if valeur]


class Membre(models.Model):
    """A staff member's place in a structure: direction owns the projet, équipe writes fiches."""

    class Role(models.TextChoices):
        DIRECTION = "direction", "Direction"
        EQUIPE = "equipe", "Équipe"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="adhesions",
    )
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="membres"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.EQUIPE)
    resume_hebdo = models.BooleanField(
        "recevoir le résumé de la semaine par e-mail",
        default=False,
        help_text="Chaque lundi, ce qui reste à faire et ce qui a changé dans cette structure.",
    )
    resume_envoye_le = models.DateTimeField("dernier résumé envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure"],
                name="membre_unique_par_structure",
                violation_error_message="Cette personne est déjà membre de cette structure.",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.structure} ({self.get_role_display()})"

    def get_additional_data(self):
        return {"structure": self.structure_id}


class FederationQuerySet(PorteeQuerySet):
    def de(self, user):
        """The fédérations a user belongs to (every one for an admin)."""
        return self.portee(user, lambda federations, u: federations.filter(membres=u))


class Federation(models.Model):
    """A fédération (or a CAF's counsellors) following several structures: its members read
    aggregated figures of those structures, and the fiches of those that share them."""

    nom = models.CharField("nom", max_length=200, unique=True)
    structures = models.ManyToManyField(
        Structure, verbose_name="structures", related_name="federations", blank=True
    )
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="membres", related_name="federations", blank=True
    )

    objects = FederationQuerySet.as_manager()

    class Meta:
        verbose_name = "fédération"
        verbose_name_plural = "fédérations"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class InvitationMembre(JetonInvitation):
    """An e-mailed link that makes a person a member of a structure, in the équipe or the
    direction (projets/invitations.py): the instance's administrator invites a new structure's
    first direction, the direction its team."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        "rôle", max_length=20, choices=Membre.Role.choices, default=Membre.Role.EQUIPE
    )

    class Meta(JetonInvitation.Meta):
        verbose_name = "invitation à rejoindre une structure"
        verbose_name_plural = "invitations à rejoindre une structure"

    def __str__(self):
        return f"{self.email} → {self.structure} ({self.get_role_display()})"

    @classmethod
    def creer(cls, structure, email, role, invite_par):
        """A new invitation and its token (to put in the link; it is not stored)."""
        return cls.nouvelle(email, invite_par, structure=structure, role=role)

    def rattacher(self, user):
        """The person joins the structure with the role they were invited to (an existing
        member takes that role)."""
        membre, cree = Membre.objects.get_or_create(
            user=user, structure=self.structure, defaults={"role": self.role}
        )
        if not cree and membre.role != self.role:
            membre.role = self.role
            membre.save(update_fields=["role"])


class TerritoireQuerySet(models.QuerySet):
    def avec_chiffres(self):
        """With their comparison columns and their chiffres clés with every value: what
        `lignes_chiffres` reads, in three queries."""
        return self.prefetch_related(
            "colonnes",
            models.Prefetch("chiffres", queryset=ChiffreCle.objects.prefetch_related("valeurs")),
        )


class Territoire(models.Model):
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="territoires"
    )
    nom = models.CharField("nom", max_length=200)
    quartiers = models.TextField("quartiers", blank=True)
    qpv = models.BooleanField("quartier prioritaire (QPV)", default=False)
    communes = models.CharField("communes", max_length=255, blank=True)

    objects = TerritoireQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "nom"],
                name="territoire_nom_unique_par_structure",
                violation_error_message="Cette structure a déjà un territoire de ce nom.",
            )
        ]

    def __str__(self):
        return self.nom

    def get_additional_data(self):
        # Shared by the structure's projets: their histories show it (centresocial/lib/historique).
        return {"structure": self.structure_id}

    def lignes_chiffres(self):
        """[(chiffre, [its value under each comparison column, or None])], in their order."""
        colonnes = list(self.colonnes.all())
        return [(c, c.valeurs_par_colonne(colonnes)) for c in self.chiffres.all()]


class ColonneChiffres(Ordonne):
    """A column the territoire's chiffres clés are compared with (« Ville », « Département »,
    « France »): its own value is the first column, these follow in their order."""

    groupe_ordre = ("territoire",)

    territoire = models.ForeignKey(
        Territoire, verbose_name="territoire", on_delete=models.CASCADE, related_name="colonnes"
    )
    intitule = models.CharField("intitulé", max_length=120)
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        verbose_name = "colonne de comparaison"
        verbose_name_plural = "colonnes de comparaison"
        ordering = ["ordre", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["territoire", "intitule"],
                name="colonne_chiffres_unique_par_territoire",
                violation_error_message="Ce territoire a déjà une colonne de ce nom.",
            )
        ]

    def __str__(self):
        return self.intitule

    def get_additional_data(self):
        return {"structure": self.territoire.structure_id}


class ChiffreCle(Ordonne):
    groupe_ordre = ("territoire",)

    territoire = models.ForeignKey(
        Territoire, verbose_name="territoire", on_delete=models.CASCADE, related_name="chiffres"
    )
    libelle = models.CharField("libellé", max_length=200)
    # Empty when only the comparison columns are known (« nc » in a real table).
    valeur = NombreDecimal("valeur", max_digits=14, decimal_places=2, null=True, blank=True)
    unite = models.CharField("unité", max_length=60, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    annee = PetitEntierPositif("année", null=True, blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.libelle

    def get_additional_data(self):
        return {"structure": self.territoire.structure_id}

    def valeurs_par_colonne(self, colonnes):
        """The value under each of `colonnes` (None where there is none); `valeurs` prefetched."""
        valeurs = {v.colonne_id: v.valeur for v in self.valeurs.all()}
        return [valeurs.get(colonne.pk) for colonne in colonnes]


class ValeurComparee(models.Model):
    chiffre = models.ForeignKey(
        ChiffreCle, verbose_name="chiffre clé", on_delete=models.CASCADE, related_name="valeurs"
    )
    colonne = models.ForeignKey(
        ColonneChiffres, verbose_name="colonne", on_delete=models.CASCADE, related_name="valeurs"
    )
    valeur = NombreDecimal("valeur", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "valeur de comparaison"
        verbose_name_plural = "valeurs de comparaison"
        constraints = [
            models.UniqueConstraint(
                fields=["chiffre", "colonne"],
                name="valeur_comparee_unique",
                violation_error_message="Ce chiffre a déjà une valeur dans cette colonne.",
            )
        ]

    def __str__(self):
        return f"{self.chiffre} · {self.colonne} : {self.valeur}"

    def get_additional_data(self):
        return {"structure": self.chiffre.territoire.structure_id}


class ProjetSocialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projets a user may open: those of the structures they belong to (partners see none)."""
        return self.filter(structure__in=Structure.objects.visible_to(user))

    def editable_by(self, user):
        return self.visible_to(user)

    def pilotable_by(self, user):
        """Projets whose statut the user may change: direction of the structure, or an admin."""
        return self.filter(structure__in=Structure.objects.dirigees_par(user))


class ProjetSocial(models.Model):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        EN_VALIDATION = "en_validation", "En validation"
        VALIDE = "valide", "Validé par la direction"
        SOUMIS = "soumis", "Soumis à la CAF"
        AGREE = "agree", "Agréé"
        ARCHIVE = "archive", "Archivé"

    # The statut workflow: forward steps, and the ways back when the direction or the CAF
    # asks for changes (an archived projet can be brought back to « agréé »).
    TRANSITIONS = {
        Statut.BROUILLON: (Statut.EN_VALIDATION,),
        Statut.EN_VALIDATION: (Statut.VALIDE, Statut.BROUILLON),
        Statut.VALIDE: (Statut.SOUMIS, Statut.BROUILLON),
        Statut.SOUMIS: (Statut.AGREE, Statut.BROUILLON),
        Statut.AGREE: (Statut.ARCHIVE,),
        Statut.ARCHIVE: (Statut.AGREE,),
    }

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.PROTECT, related_name="projets"
    )
    titre = models.CharField("titre", max_length=200)
    annee_debut = PetitEntierPositif("année de début")
    annee_fin = PetitEntierPositif("année de fin")
    statut = models.CharField(
        "statut", max_length=20, choices=Statut.choices, default=Statut.BROUILLON
    )
    agrement_acf = models.BooleanField(
        "agrément Animation Collective Familles demandé",
        default=False,
        help_text="Le projet familles demande aussi l'agrément ACF.",
    )
    date_decision_caf = models.DateField("date de décision de la CAF", null=True, blank=True)
    date_validation_instances = models.DateField(
        "date de validation par les instances",
        null=True,
        blank=True,
        help_text="Le conseil d'administration, le conseil municipal ou le COPIL qui a validé "
        "le projet social.",
    )
    date_fin_agrement = models.DateField(
        "fin de l'agrément",
        null=True,
        blank=True,
        help_text="Le dernier jour de l'agrément accordé par la CAF : le calendrier du "
        "renouvellement part de cette date (sans elle, du 31 décembre de l'année de fin).",
    )
    date_dossier = models.CharField(
        "date du dossier",
        max_length=60,
        blank=True,
        help_text="Imprimée telle quelle sur la couverture, par exemple « Mars 2025 ».",
    )
    budget_mention = models.TextField(
        "mention sur le budget",
        blank=True,
        help_text="Imprimée dans la partie budget du dossier, par exemple « Le budget prévisionnel "
        "est transmis séparément à la CAF. »",
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = ProjetSocialQuerySet.as_manager()

    class Meta:
        verbose_name = "projet social"
        verbose_name_plural = "projets sociaux"
        ordering = ["-annee_debut", "titre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annee_fin__gte=F("annee_debut")),
                name="projet_fin_apres_debut",
                violation_error_message="L'année de fin doit être égale ou postérieure à l'année de début.",
            ),
            models.CheckConstraint(
                condition=Q(annee_fin__lte=F("annee_debut") + DUREE_MAX_PROJET - 1),
                name="projet_duree_max",
                violation_error_message=(
                    f"Un projet social couvre au plus {DUREE_MAX_PROJET} années."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.titre} ({self.periode})"

    @property
    def periode(self):
        return f"{self.annee_debut}–{self.annee_fin}"

    @property
    def annees(self):
        if self.annee_debut is None or self.annee_fin is None:
            return []
        return list(range(self.annee_debut, self.annee_fin + 1))

    def bornes_dates(self):
        """The first and last day a date of this projet may take (the période ± MARGE_DATES)."""
        debut = min(max(1, self.annee_debut - MARGE_DATES), 9999)
        fin = min(max(1, self.annee_fin + MARGE_DATES), 9999)
        return date(debut, 1, 1), date(fin, 12, 31)

    def erreur_date(self, valeur):
        """The French message for a date too far from the période, or None."""
        if valeur is None or self.annee_debut is None or self.annee_fin is None:
            return None
        debut, fin = self.bornes_dates()
        if debut <= valeur <= fin:
            return None
        return (
            f"Cette date est trop loin de la période du projet ({self.periode}) : "
            f"choisissez-la entre le {debut:%d/%m/%Y} et le {fin:%d/%m/%Y}."
        )

    def transitions_possibles(self):
        return [self.Statut(statut) for statut in self.TRANSITIONS.get(self.statut, ())]

    def changer_statut(self, nouveau, date_decision_caf=None, par=None):
        """Apply one step of the workflow; the CAF's decision date is only recorded at « agréé ».
        `par`: who made the change; the receivers of `statut_change` run in the same
        transaction."""
        if nouveau not in self.transitions_possibles():
            libelle = dict(self.Statut.choices).get(nouveau, nouveau)
            raise ValidationError(
                f"Un projet « {self.get_statut_display()} » ne peut pas passer "
                f"au statut « {libelle} »."
            )
        ancien = self.statut
        self.statut = nouveau
        if nouveau == self.Statut.AGREE and date_decision_caf:
            self.date_decision_caf = date_decision_caf
        with transaction.atomic():
            self.save(update_fields=["statut", "date_decision_caf", "modifie_le"])
            statut_change.send(
                sender=type(self), projet=self, ancien=ancien, nouveau=nouveau, par=par
            )

    def clean(self):
        super().clean()
        if self.annee_debut is None or self.annee_fin is None:
            return
        hors = {
            champ: f"Une année entre {ANNEES_POSSIBLES.start} et {ANNEES_POSSIBLES.stop - 1}."
            for champ in ("annee_debut", "annee_fin")
            if getattr(self, champ) not in ANNEES_POSSIBLES
        }
        if hors:
            raise ValidationError(hors)
        if self.annee_fin < self.annee_debut:
            raise ValidationError(
                {"annee_fin": "L'année de fin doit être égale ou postérieure à l'année de début."}
            )
        if self.annee_fin - self.annee_debut + 1 > DUREE_MAX_PROJET:
            raise ValidationError(
                {"annee_fin": f"Un projet social couvre au plus {DUREE_MAX_PROJET} années."}
            )
        for champ in ("date_decision_caf", "date_validation_instances"):
            if message := self.erreur_date(getattr(self, champ)):
                raise ValidationError({champ: message})
        if self.pk:
            self._verifier_annees_contenu()

    def _verifier_annees_contenu(self):
        """A shorter période must not orphan years already planned in fiches or the budget.

        The fiches' years are read through the reverse relations (`fiches`, their `annees`): the
        fiches are one layer up, projets does not import them."""
        prevues = self.fiches.filter(annees__isnull=False).values_list("annees__annee", flat=True)
        annees = sorted({a for a in prevues if not self.annee_debut <= a <= self.annee_fin})
        if annees:
            raise ValidationError(
                "Des fiches actions sont prévues en dehors de cette période ("
                + ", ".join(map(str, annees))
                + ") : retirez d'abord ces années des fiches."
            )
        if self.lignes_budget.exclude(annee__range=(self.annee_debut, self.annee_fin)).exists():
            raise ValidationError(
                "Le budget contient des années en dehors de cette période : "
                "supprimez d'abord ces lignes."
            )

    def get_additional_data(self):
        return {"projet": self.pk}


class SectionProjet(Ordonne):
    """A narrative chapter of the projet, written in Markdown (rendered sanitised)."""

    groupe_ordre = ("projet",)

    class Type(models.TextChoices):
        PREAMBULE = "preambule", "Préambule"
        METHODOLOGIE = "methodologie", "Méthodologie"
        PORTRAIT = "portrait", "Portrait de territoire"
        POINT_DE_VUE_PARTENAIRES = "point_de_vue_partenaires", "Point de vue des partenaires"
        POINT_DE_VUE_HABITANTS = "point_de_vue_habitants", "Point de vue des habitants"
        POINT_DE_VUE_EQUIPE = "point_de_vue_equipe", "Point de vue de l'équipe"
        EVALUATION_PRECEDENT = "evaluation_precedent", "Évaluation du projet précédent"
        ORGANISATION = "organisation", "Organisation et équipe"
        BESOINS = "besoins", "Besoins"
        ORIENTATIONS = "orientations", "Orientations transversales"
        PROJET_FAMILLES = "projet_familles", "Projet familles"
        PROJET_ACCUEIL = "projet_accueil", "Projet accueil"
        PROJET_JEUNESSE = "projet_jeunesse", "Projet jeunesse"
        CONCLUSION = "conclusion", "Conclusion"
        ANNEXES = "annexes", "Annexes"
        AUTRE = "autre", "Chapitre libre (avec son propre titre)"

    projet = models.ForeignKey(
        ProjetSocial,
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="sections",
    )
    type = models.CharField("type", max_length=40, choices=Type.choices)
    titre = models.CharField("titre", max_length=200, blank=True)
    contenu = models.TextField(
        "contenu",
        blank=True,
        help_text="Mise en forme Markdown : **gras**, listes « - », titres « ### ».",
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        verbose_name = "section du projet"
        verbose_name_plural = "sections du projet"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.titre_affiche

    @property
    def titre_affiche(self):
        return self.titre or self.get_type_display()

    def clean(self):
        super().clean()
        if self.type == self.Type.AUTRE and not self.titre.strip():
            raise ValidationError(
                {"titre": "Un chapitre libre s'imprime sous son titre : donnez-le."}
            )

    def get_additional_data(self):
        return {"projet": self.projet_id}


class ImageSection(Ordonne):
    """A map, a photo, an organigramme or an infographic printed after a section's text."""

    groupe_ordre = ("section",)

    class Largeur(models.TextChoices):
        PLEINE = "pleine", "Toute la largeur"
        MOITIE = "moitie", "La moitié de la largeur"
        TIERS = "tiers", "Un tiers de la largeur"

    section = models.ForeignKey(
        SectionProjet, verbose_name="section", on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(
        "image",
        upload_to="projets/images/%Y/",
        validators=[verifier_image],
        help_text="PNG ou JPEG, 5 Mo au plus.",
    )
    legende = models.CharField(
        "légende", max_length=255, blank=True, help_text="Imprimée sous l'image."
    )
    texte_alternatif = models.CharField(
        "texte alternatif",
        max_length=500,
        help_text="Ce que l'image montre, pour qui ne la voit pas (lu par les lecteurs d'écran, "
        "dans la page et dans le PDF).",
    )
    largeur = models.CharField(
        "largeur à l'impression", max_length=10, choices=Largeur.choices, default=Largeur.PLEINE
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        verbose_name = "image de section"
        verbose_name_plural = "images des sections"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.legende or self.texte_alternatif

    def get_additional_data(self):
        return {"projet": self.section.projet_id}


class Constat(Ordonne):
    """A finding of the diagnostic partagé, in one sentence, and where it comes from: the
    enjeux answer findings (Enjeu.constats), so the arbre reads diagnostic → enjeu → objectif."""

    groupe_ordre = ("projet",)

    class Source(models.TextChoices):
        STATISTIQUE = "statistique", "Statistiques"
        HABITANTS = "habitants", "Parole des habitants"
        PARTENAIRES = "partenaires", "Parole des partenaires"
        EQUIPE = "equipe", "Regard de l'équipe"

    projet = models.ForeignKey(
        ProjetSocial,
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="constats",
    )
    enonce = models.CharField(
        "constat",
        max_length=300,
        help_text="En une phrase, ce que le diagnostic a montré.",
    )
    source = models.CharField("source", max_length=20, choices=Source.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        verbose_name = "constat du diagnostic"
        verbose_name_plural = "constats du diagnostic"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.enonce

    def clean(self):
        super().clean()
        if self.enonce is not None and not self.enonce.strip():
            raise ValidationError({"enonce": "Écrivez le constat en une phrase."})

    def get_additional_data(self):
        return {"projet": self.projet_id}


class DuProjetQuerySet(models.QuerySet):
    """Rows of a projet's arbre (axes, enjeux, objectifs): `chemin` leads to their projet."""

    chemin = "projet"

    def editable_by(self, user):
        return self.filter(**{f"{self.chemin}__in": ProjetSocial.objects.editable_by(user)})


class DeLAxeQuerySet(DuProjetQuerySet):
    chemin = "axe__projet"


class Axe(Ordonne):
    # The numbered axes (« Axe 1, Axe 2… ») and the transversal ones after them: two lists.
    groupe_ordre = ("projet", "transversal")

    projet = models.ForeignKey(
        ProjetSocial, verbose_name="projet social", on_delete=models.CASCADE, related_name="axes"
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    titre = models.CharField("titre", max_length=200)
    transversal = models.BooleanField("axe transversal", default=False)

    objects = DuProjetQuerySet.as_manager()

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["transversal", "ordre", "pk"]

    def __str__(self):
        return f"{self.libelle} : {self.titre}"

    @property
    def libelle(self):
        return "Axe transversal" if self.transversal else f"Axe {self.ordre}"

    def get_additional_data(self):
        return {"projet": self.projet_id}


class Enjeu(Ordonne):
    """Enjeux are numbered across the whole projet (« Enjeu n° 1 … n° 9 »)."""

    champ_ordre = "numero"
    groupe_ordre = ("projet",)
    ordre_unique = True  # enjeu_numero_unique_par_projet

    projet = models.ForeignKey(
        ProjetSocial, verbose_name="projet social", on_delete=models.CASCADE, related_name="enjeux"
    )
    axe = models.ForeignKey(
        Axe, verbose_name="axe", on_delete=models.CASCADE, related_name="enjeux"
    )
    numero = PetitEntierPositif("numéro")
    titre = models.CharField("titre", max_length=255)
    description = models.TextField("description", blank=True)
    constats = models.ManyToManyField(
        Constat,
        verbose_name="constats du diagnostic",
        related_name="enjeux",
        blank=True,
        help_text="Les constats du diagnostic auxquels cet enjeu répond.",
    )

    objects = DuProjetQuerySet.as_manager()

    class Meta:
        verbose_name = "enjeu"
        verbose_name_plural = "enjeux"
        ordering = ["numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["projet", "numero"],
                name="enjeu_numero_unique_par_projet",
                violation_error_message="Ce numéro d'enjeu est déjà utilisé dans ce projet social.",
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="enjeu_numero_positif",
                violation_error_message="Le numéro d'enjeu commence à 1.",
            ),
        ]

    def __str__(self):
        return f"Enjeu n° {self.numero} : {self.titre}"

    def save(self, *args, **kwargs):
        if self.axe_id and not self.projet_id:
            self.projet_id = self.axe.projet_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.axe_id and self.projet_id and self.axe.projet_id != self.projet_id:
            raise ValidationError({"axe": "Cet axe appartient à un autre projet social."})

    def get_additional_data(self):
        return {"projet": self.projet_id}


class ObjectifGeneral(Ordonne):
    """An objectif général of an axe, usually under one of its enjeux.

    Some projets have no enjeux (axes → objectifs directly) and state the objectifs
    opérationnels, indicateurs de résultats and examples at this level rather than in fiches.
    """

    groupe_ordre = ("axe", "enjeu")  # those of its enjeu, or those straight under the axe

    axe = models.ForeignKey(
        Axe, verbose_name="axe", on_delete=models.CASCADE, related_name="objectifs"
    )
    enjeu = models.ForeignKey(
        Enjeu,
        verbose_name="enjeu",
        on_delete=models.CASCADE,
        related_name="objectifs",
        null=True,
        blank=True,
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    titre = models.CharField("titre", max_length=255)
    objectifs_operationnels = models.TextField("objectifs opérationnels", blank=True)
    indicateurs_resultats = models.TextField("indicateurs de résultats", blank=True)
    exemples = models.TextField("exemples d'actions", blank=True)

    objects = DeLAxeQuerySet.as_manager()

    class Meta:
        verbose_name = "objectif général"
        verbose_name_plural = "objectifs généraux"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.titre

    def save(self, *args, **kwargs):
        if self.enjeu_id and not self.axe_id:
            self.axe_id = self.enjeu.axe_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.enjeu_id and self.axe_id and self.enjeu.axe_id != self.axe_id:
            raise ValidationError({"enjeu": "Cet enjeu appartient à un autre axe."})

    @property
    def projet_id(self):
        return self.axe.projet_id

    def get_additional_data(self):
        return {"projet": self.axe.projet_id}


class InstanceGouvernance(Ordonne):
    groupe_ordre = ("projet",)

    projet = models.ForeignKey(
        ProjetSocial,
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="instances",
    )
    nom = models.CharField("nom", max_length=200)
    role = models.TextField("rôle", blank=True)
    composition = models.TextField("composition", blank=True)
    frequence = models.CharField("fréquence", max_length=200, blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        verbose_name = "instance de gouvernance"
        verbose_name_plural = "instances de gouvernance"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.nom

    def get_additional_data(self):
        return {"projet": self.projet_id}


class EtapeRenouvellement(models.Model):
    """One step of the renewal of the agrément, dated back from its end (projets/calendrier.py):
    the direction may move its date and mark it done; reminders are e-mailed before it."""

    class Etape(models.TextChoices):
        EVALUATION = "evaluation", "Lancement de l'évaluation du projet en cours"
        DIAGNOSTIC = "diagnostic", "Diagnostic partagé du territoire"
        ENJEUX = "enjeux", "Enjeux débattus avec les habitants"
        VALIDATION = "validation", "Validation du projet par les instances"
        ENVOI = "envoi", "Envoi du dossier à la CAF"
        COMMISSION = "commission", "Commission de la CAF"

    projet = models.ForeignKey(
        ProjetSocial,
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="etapes_renouvellement",
    )
    etape = models.CharField("étape", max_length=20, choices=Etape.choices)
    date = models.DateField("date prévue")
    faite_le = models.DateField("faite le", null=True, blank=True)
    # How many days before the date the last reminder was sent (None: none yet), so that each
    # reminder goes once even when the command runs twice.
    rappel_envoye_a = models.PositiveSmallIntegerField(
        "dernier rappel envoyé (jours avant)", null=True, blank=True
    )

    class Meta:
        verbose_name = "étape du renouvellement"
        verbose_name_plural = "étapes du renouvellement"
        ordering = ["projet", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["projet", "etape"],
                name="etape_renouvellement_unique",
                violation_error_message="Cette étape a déjà une date pour ce projet.",
            )
        ]

    def __str__(self):
        return f"{self.get_etape_display()} : {self.date:%d/%m/%Y}"

    def get_additional_data(self):
        return {"structure": self.projet.structure_id, "projet": self.projet_id}


class LigneBudget(models.Model):
    class Sens(models.TextChoices):
        CHARGE = "charge", "Charges"
        PRODUIT = "produit", "Produits"

    projet = models.ForeignKey(
        ProjetSocial,
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="lignes_budget",
    )
    annee = PetitEntierPositif("année")
    sens = models.CharField("charges ou produits", max_length=10, choices=Sens.choices)
    libelle = models.CharField("libellé", max_length=200)
    montant = NombreDecimal("montant (€)", max_digits=12, decimal_places=2)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "ligne de budget"
        verbose_name_plural = "lignes de budget"
        ordering = ["annee", "sens", "ordre", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant__gte=0),
                name="budget_montant_positif",
                violation_error_message="Le montant d'une ligne de budget ne peut pas être négatif.",
            )
        ]

    def __str__(self):
        return f"{self.annee} · {self.get_sens_display()} · {self.libelle}"

    def clean(self):
        super().clean()
        if self.montant is not None and self.montant < 0:
            raise ValidationError({"montant": "Le montant ne peut pas être négatif."})
        if self.projet_id and self.annee and self.annee not in self.projet.annees:
            raise ValidationError(
                {
                    "annee": f"L'année doit être comprise dans la période du projet ({self.projet.periode})."
                }
            )

    def get_additional_data(self):
        return {"projet": self.projet_id}


class Sigle(models.Model):
    projet = models.ForeignKey(
        ProjetSocial, verbose_name="projet social", on_delete=models.CASCADE, related_name="sigles"
    )
    sigle = models.CharField("sigle", max_length=30)
    signification = models.CharField("signification", max_length=255)

    class Meta:
        verbose_name = "sigle"
        verbose_name_plural = "sigles et abréviations"
        ordering = ["sigle"]
        constraints = [
            models.UniqueConstraint(
                Lower("sigle"),
                "projet",
                name="sigle_unique_par_projet",
                violation_error_message="Ce sigle est déjà défini dans ce projet social.",
            )
        ]

    def __str__(self):
        return f"{self.sigle} : {self.signification}"

    def get_additional_data(self):
        return {"projet": self.projet_id}


for modele in [
    ProjetSocial,
    SectionProjet,
    ImageSection,
    Constat,
    Axe,
    Enjeu,
    ObjectifGeneral,
    InstanceGouvernance,
    LigneBudget,
    Sigle,
]:
    auditlog.register(modele, exclude_fields=["cree_le", "modifie_le"])
# The structure's territoires and their chiffres clés, printed by each of its projets' dossiers.
for modele in [Territoire, ColonneChiffres, ChiffreCle, ValeurComparee]:
    auditlog.register(modele)
# Who joins the team, with which role, and who leaves it.
auditlog.register(Membre, exclude_fields=["resume_envoye_le"])
# Who follows which structures: an access change, like a membership.
auditlog.register(Federation, m2m_fields={"structures", "membres"})
# The renewal's timeline (the reminders it sent are not a change of the direction's).
auditlog.register(EtapeRenouvellement, exclude_fields=["rappel_envoye_a"])

from .models_journal import Consultation  # noqa: E402, F401  (the access log)
