from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence and proof dossiers")

    def ready(self):
        from core import access, dashboard, events, nav
        from evidence import demo, panels  # noqa: F401 (register the demo step)
        from organisation.choices import Role

        read = {Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER, Role.STAFF, Role.AUDITOR}
        # Attaching a file is a write on the record's unit (administrators and QSE managers).
        access.register_action("evidence.upload", access.WRITE_ROLES)
        access.register_action("evidence.view", read)
        access.register_action("evidence.download", read)
        # Dossiers: asked for by those who answer for a unit; read and downloaded by auditors too.
        access.register_action("dossier.request", {Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER})
        access.register_action("dossier.view", {Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER, Role.AUDITOR})
        access.register_action("dossier.download", {Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER,
                                                    Role.AUDITOR})
        access.register_action("accesslog.view", {Role.ADMINISTRATOR})

        events.register({
            "EVIDENCE_ATTACHED": _("Evidence attached"),
            "EVIDENCE_SUPERSEDED": _("Evidence replaced by a new version"),
            "DOSSIER_REQUESTED": _("Proof dossier requested"),
            "DOSSIER_RENDERING": _("Proof dossier rendering started"),
            "DOSSIER_ISSUED": _("Proof dossier issued"),
            "DOSSIER_FAILED": _("Proof dossier failed"),
            "DOSSIER_RETRIED": _("Proof dossier tried again"),
        })
        nav.register(nav.NavItem(_("Dossiers"), "evidence:dossier_list", "file-certificate", order=80,
                                 visible=lambda user: access.can_anywhere(user, "dossier.view")))
        nav.register(nav.NavItem(_("Evidence"), "evidence:evidence_list", "paperclip", order=81,
                                 visible=lambda user: access.can_anywhere(user, "evidence.view")))
        nav.register(nav.NavItem(_("Access log"), "evidence:access_log", "eye", order=96,
                                 visible=lambda user: access.can_anywhere(user, "accesslog.view")))
        dashboard.register(panels.expiring_evidence_panel)
        dashboard.register(panels.my_dossiers_panel)
