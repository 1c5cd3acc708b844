"""Evidence, dossier requests and verification over the API, with the screens' permissions."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view, parser_classes, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core import access
from core.api.mixins import ScopedQuerysetMixin, created
from core.downloads import logged_file_response
from core.exceptions import DomainError
from evidence import selectors, services, targets, uploads
from evidence.api.serializers import (
    DossierCreateSerializer,
    DossierSerializer,
    DossierVerifySerializer,
    EvidenceSerializer,
    EvidenceSupersedeSerializer,
    EvidenceUploadSerializer,
    VerifyResultSerializer,
)
from evidence.choices import DossierKind, DossierStatus
from evidence.models import DossierRequest, Evidence


class _CappedUploads:
    """Installs the upload cap before DRF parses a multipart body; refuses an over-size body unread."""

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST":
            self._cap = uploads.install_cap(request)
        return super().initialize_request(request, *args, **kwargs)

    def checked_file(self, request):
        if uploads.request_too_big(request):
            raise DomainError(uploads.too_big_message(), field="file")
        upload = request.FILES.get("file")  # parsing runs the cap
        if getattr(getattr(self, "_cap", None), "too_big", False):
            raise DomainError(uploads.too_big_message(), field="file")
        return upload


class EvidenceViewSet(_CappedUploads, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Evidence files on records the caller can see; upload needs a write role on the record's unit."""

    base_queryset = Evidence.objects.select_related("uploaded_by", "superseded_by").order_by("-created_at", "-pk")
    serializer_class = EvidenceSerializer
    filterset_fields = ["target_type", "target_id", "kind", "unit"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def _too_big_guard(self, request):
        if uploads.request_too_big(request):
            raise DomainError(uploads.too_big_message(), field="file")

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceSerializer})
    def create(self, request):
        self._too_big_guard(request)
        upload = self.checked_file(request)
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("file", None)
        target_type, target_id = targets.parse(values.pop("record"))
        target, _unit = targets.resolve(request.user, target_type, target_id, "evidence.upload")
        evidence = services.evidence_attach(actor=request.user, target=target, upload=upload, **values)
        return created(EvidenceSerializer, evidence, request)

    @extend_schema(request={"multipart/form-data": EvidenceSupersedeSerializer}, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        self._too_big_guard(request)
        previous = self.get_object()
        self.require("evidence.upload", previous.unit)
        upload = self.checked_file(request)
        data = EvidenceSupersedeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("file", None)
        evidence = services.evidence_supersede(actor=request.user, previous=previous, upload=upload, **values)
        return created(EvidenceSerializer, evidence, request)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="The file.")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        self.require("evidence.download", evidence.unit)
        return logged_file_response(request, evidence.open_file(), filename=evidence.original_name,
                                    content_type=evidence.content_type, target=evidence)


class DossierViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Proof dossier requests: create one, follow its status, download the PDF when it is done."""

    base_queryset = DossierRequest.objects.select_related("requested_by", "progress").order_by("-created_at", "-pk")
    serializer_class = DossierSerializer
    filterset_fields = ["kind", "status", "unit"]

    def get_queryset(self):
        qs = super().get_queryset()
        if not access.can_anywhere(self.request.user, "dossier.view"):
            return qs.none()
        return qs

    def get_object(self):
        obj = super().get_object()
        self.require("dossier.view", obj.unit)
        return obj

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierSerializer})
    def create(self, request):
        data = DossierCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        kind = values["kind"]
        target = None
        if kind == DossierKind.RECORD:
            if not values.get("record"):
                raise DomainError("Give the record as app_label.model:id.", field="record")
            target, _unit = targets.resolve(request.user, *targets.parse(values["record"]), "dossier.request")
        elif values.get("unit") is not None:
            unit = values["unit"]
            if not access.visible_to(type(unit).objects.filter(pk=unit.pk), request.user, "").exists():
                raise Http404
        req = services.dossier_request(actor=request.user, kind=kind, unit=values.get("unit"), target=target,
                                       period_start=values.get("period_start"), period_end=values.get("period_end"),
                                       as_of=values.get("as_of"))
        return created(DossierSerializer, req, request)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The dossier PDF.")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        req = self.get_object()
        self.require("dossier.download", req.unit)
        if req.status != DossierStatus.DONE:
            raise DomainError("This dossier is not ready yet.")
        return logged_file_response(request, req.open_file(), filename=req.filename,
                                    content_type="application/pdf", target=req)


@extend_schema(request={"multipart/form-data": DossierVerifySerializer, "application/json": DossierVerifySerializer},
               responses={200: VerifyResultSerializer})
@api_view(["POST"])
@permission_classes([AllowAny])
@parser_classes([MultiPartParser, JSONParser])
def verify_view(request):
    """Whether Siris issued a file (upload it) or a SHA-256 (give it); nothing more is revealed."""
    if uploads.request_too_big(request):
        raise DomainError(uploads.too_big_message(), field="file")
    upload = request.FILES.get("file")
    if upload is not None:
        digest = selectors.file_sha256(upload)
    else:
        digest = selectors.normalise_hash(request.data.get("sha256", ""))
        if not digest:
            raise DomainError("Give the file or its SHA-256 (64 hexadecimal characters).", field="sha256")
    result = selectors.verify_hash(digest)
    d = result.dossier if result.issued else None
    return Response({
        "sha256": digest, "issued": result.issued,
        "reference": d.reference if d else None, "kind": d.kind if d else None,
        "scope": d.scope_label if d else None, "issued_at": d.finished_at if d else None,
        "ledger_seq": result.entry.seq if d else None,
    })

