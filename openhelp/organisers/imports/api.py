"""REST API for the people import and export (organisers only; everyone else gets 404)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.organisers.imports import services
from openhelp.organisers.imports.parsing import MAX_BYTES, FileRejected, decode_csv_bytes
from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.parsers import JSONParser, MultiPartParser
from openhelp.platform.api.permissions import IsOrganiserElse404


class PeopleImportSerializer(KnownFieldsOnly, serializers.Serializer):
    csv = serializers.CharField(
        max_length=MAX_BYTES,
        required=False,
        trim_whitespace=False,
        help_text="The CSV text (JSON body). Or send `file`.",
    )
    file = serializers.FileField(required=False, help_text="The CSV file, UTF-8 (multipart body).")
    send_invitations = BooleanField(
        default=False, help_text="Apply only: e-mail new people a link to choose a password."
    )

    def validate_file(self, upload) -> str:
        if upload.size > MAX_BYTES:
            raise serializers.ValidationError(f"The limit is {MAX_BYTES // 1024 // 1024} MB.")
        try:
            return decode_csv_bytes(upload.read())
        except FileRejected as rejected:
            raise serializers.ValidationError(rejected.error.message) from rejected

    def validate(self, attrs: dict) -> dict:
        if ("csv" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                {"csv": ["Send the CSV as `csv` text or as a `file`, not both."]}
            )
        attrs["text"] = attrs.pop("csv", None) or attrs.pop("file", "")
        return attrs


class PeopleImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="1 is the header; null for the whole file.")
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class PeopleImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    email = serializers.EmailField()
    action = serializers.CharField(help_text="create, update or unchanged.")
    changes = serializers.ListField(child=serializers.CharField(), read_only=True)


class PeopleImportPreviewSerializer(serializers.Serializer):
    is_valid = BooleanField(help_text="False when there are errors: applying would change nothing.")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    new_teams = serializers.ListField(child=serializers.CharField(), read_only=True)
    rows = PeopleImportRowSerializer(many=True)
    errors = PeopleImportErrorSerializer(many=True)


class PeopleImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    new_teams = serializers.ListField(child=serializers.CharField(), read_only=True)
    users = serializers.SerializerMethodField(
        help_text="The e-mail of every person in the file, in file order."
    )

    def get_users(self, result) -> list[str]:
        return [user.email for user in result.users]


class PeopleImportRejectedBodySerializer(serializers.Serializer):
    """The one error shape (``openhelp.platform.api.errors.ERROR_BODY``), plus the rows when the file itself is rejected."""

    code = serializers.CharField(help_text="import_rejected, or invalid for a bad request")
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
    rows = PeopleImportErrorSerializer(many=True, required=False, help_text="With import_rejected.")


class PeopleImportRejectedSerializer(serializers.Serializer):
    error = PeopleImportRejectedBodySerializer()


class _ImportView(APIView):
    permission_classes = [IsOrganiserElse404]
    parser_classes = [JSONParser, MultiPartParser]
    # The CSV may come inside a JSON body: room for the largest file, escaped.
    max_body_bytes = 2 * MAX_BYTES

    def text(self, request: Request) -> tuple[str, bool]:
        serializer = PeopleImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["text"], serializer.validated_data["send_invitations"]


class PeopleImportPreviewView(_ImportView):
    @extend_schema(
        request=PeopleImportSerializer,
        responses={200: PeopleImportPreviewSerializer},
        summary="Preview a people CSV import (changes nothing)",
    )
    def post(self, request: Request) -> Response:
        text, _ = self.text(request)
        preview = services.preview_import(text)
        return Response(PeopleImportPreviewSerializer(preview).data)


class PeopleImportApplyView(_ImportView):
    @extend_schema(
        request=PeopleImportSerializer,
        responses={200: PeopleImportResultSerializer, 400: PeopleImportRejectedSerializer},
        summary="Apply a people CSV import: all or nothing, idempotent",
    )
    def post(self, request: Request) -> Response:
        text, send_invitations = self.text(request)
        try:
            result = services.apply_import(text, actor=request.user, send_invitations=send_invitations)
        except services.ImportRejected as rejected:
            body = {
                "error": {
                    "code": "import_rejected",
                    "message": f"The file has {len(rejected.errors)} error(s); nothing was changed.",
                    "rows": PeopleImportErrorSerializer(rejected.errors, many=True).data,
                }
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(PeopleImportResultSerializer(result).data)


class CsvRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: text/csv``; the CSV itself is returned as a plain HttpResponse."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return str(data).encode(self.charset)  # only error bodies get here


class PeopleExportView(APIView):
    permission_classes = [IsOrganiserElse404]
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The people CSV.")},
        summary="Export everyone as CSV, in the import format",
    )
    def get(self, request: Request) -> HttpResponse:
        response = HttpResponse(services.export_people_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="people.csv"'
        return response
