"""manage.py verify_dossier FILE [FILE ...]: did Siris issue these files? (offline, against the database)"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence import selectors


class Command(BaseCommand):
    help = "Check that PDF dossiers were issued by Siris: their SHA-256 must be registered in the ledger."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="PDF files to check")

    def handle(self, *args, **options):
        unknown = 0
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            with path.open("rb") as handle:
                digest = selectors.file_sha256(handle)
            result = selectors.verify_hash(digest)
            if result.issued:
                d = result.dossier
                self.stdout.write(self.style.SUCCESS(
                    f"{name}: issued by Siris · {d.reference} · {d.get_kind_display()} · {d.scope_label} · "
                    f"{d.finished_at.isoformat()} · ledger #{result.entry.seq} · sha256 {digest}"))
            else:
                unknown += 1
                self.stdout.write(self.style.ERROR(f"{name}: NOT issued by Siris (sha256 {digest})"))
        if unknown:
            raise CommandError(f"{unknown} file(s) not issued by Siris")
