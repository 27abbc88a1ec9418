from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from centresocial.views import accueil

admin.site.site_header = "centresocial — administration"
admin.site.site_title = "centresocial"
admin.site.index_title = "Administration de l'instance"
# One way in: the admin's own login page would skip throttling's French page and the second factor.
admin.site.login = login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))

urlpatterns = [
    path("", accueil, name="accueil"),
    path("", include("projets.urls")),
    path("", include("actions.urls")),
    path("", include("evaluation.urls")),
    path("", include("partenaires.urls")),
    path("", include("dossier.urls")),
    path("", include("importation.urls")),
    path("", include("portail.urls")),
    path("", include("federation.urls")),
    path("comptes/", include("centresocial.comptes.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for it on pages without our <link rel="icon"> (the admin, the dossier preview).
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
        name="favicon",
    ),
]
# Uploaded files (MEDIA_ROOT or the S3 bucket) are never served as is: uploaded evidence
# (justificatifs) is downloaded through views that check who may see it; logos are only read
# through the file storage by the PDF renderer.
