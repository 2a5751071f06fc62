"""What the audit trail costs a write, and how fast the chain verifies.

Baseline: the same INSERT and UPDATE statements against an identical table that has no
triggers, in the same run on the same server.
"""

from __future__ import annotations

from _setup import django_on_scratch_database, median_seconds

ROWS = 2000
REPEATS = 5


def main() -> None:
    django_on_scratch_database()
    from django.db import connection, transaction

    from inspectorate.audit.selectors import chain_verify

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_establishment")
        cursor.execute(
            "CREATE TABLE bench_plain_establishment (LIKE estate_establishment INCLUDING ALL)"
        )

    def write(table: str) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table} (code, name, kind, function, nation, region,"
                " security_category, operator, operator_company_number, status, version)"
                " SELECT 'B' || n, 'HMP Bench ' || n, 'prison', '', 'england', '', '', '', '',"
                " 'open', 1 FROM generate_series(1, %s) AS n",
                [ROWS],
            )
            cursor.execute(f"UPDATE {table} SET name = name || ' (renamed)', version = 2")
            transaction.set_rollback(True)  # leave nothing behind between runs

    plain = median_seconds(lambda: write("bench_plain_establishment"), REPEATS)
    audited = median_seconds(lambda: write("estate_establishment"), REPEATS)

    # Keep one audited load for the verification figure.
    from inspectorate.estate.models import Establishment

    Establishment.objects.filter(code__startswith="B").delete()
    with transaction.atomic():
        Establishment.objects.bulk_create(
            Establishment(code=f"B{n}", name=f"HMP Bench {n}", kind="prison") for n in range(ROWS)
        )
    report = chain_verify()
    verify = median_seconds(chain_verify, REPEATS)

    statements = 2 * ROWS
    print(f"audit_overhead: {ROWS} inserts + {ROWS} updates, median of {REPEATS} runs")
    for label, seconds in [
        ("without triggers (baseline)", plain),
        ("audited (pghistory + chain)", audited),
    ]:
        print(f"  {label}: {seconds * 1000:8.1f} ms  ({statements / seconds:,.0f} rows/s)")
    print(f"  ratio audited / baseline:    {audited / plain:8.2f}x")
    print(
        f"  audit_verify: {report.links_checked:,} events in {verify * 1000:.0f} ms "
        f"({report.links_checked / verify:,.0f} events/s), intact={report.intact}"
    )


if __name__ == "__main__":
    main()
