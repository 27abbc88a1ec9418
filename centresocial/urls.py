from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from projets.views.accueil import accueil

admin.site.site_header = "centresocial — administration"
admin.site.site_title = "centresocial"
admin.site.index_title = "Administration de l'instance"

urlpatterns = [
    path("", accueil, name="accueil"),
    path("", include("projets.urls")),
    path("", include("actions.urls")),
    path("", include("evaluation.urls")),
    path("", include("partenaires.urls")),
    path("comptes/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
