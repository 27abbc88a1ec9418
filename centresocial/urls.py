from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from projets import views as projets_views

admin.site.site_header = "centresocial — administration"
admin.site.site_title = "centresocial"
admin.site.index_title = "Administration de l'instance"

urlpatterns = [
    path("", projets_views.accueil, name="accueil"),
    path("comptes/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
