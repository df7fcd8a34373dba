"""A scenario's whole table as CSV, out and (all or nothing) in."""

from __future__ import annotations

from atlas import scenario_csv
from atlas import scenarios as sc
from atlas.roles import Account
from atlas.scenarios import Problem, Scenario, ScenarioError
from atlas.spec import Pack


class CsvRepo:
    """The CSV half of `Store` (uses the scenario half)."""

    def export_csv(self, pack: Pack, scenario_id: str) -> str:
        """The saved scenario's whole table (`atlas.scenario_csv.table_to_csv`)."""
        return scenario_csv.table_to_csv(pack, self.get(scenario_id), self.registry(pack))

    def import_csv(
        self,
        pack: Pack,
        scenario: Scenario,
        text: str,
        by: Account,
        replace_all: bool = False,
    ) -> tuple[Scenario | None, list[Problem]]:
        """Validate a CSV (whole table or edits) and save it into `scenario` (loaded or new).

        All or nothing: with any problem (each with its CSV row) nothing is written and
        (None, problems) is returned. Audit entries of the imported cells have action "import".
        """
        reg = {**self.registry(pack), scenario.id: scenario}
        parsed = scenario_csv.read_csv(pack, text, scenario, reg, replace_all)
        if parsed.problems:
            return None, parsed.problems
        return self.save_import(pack, scenario, parsed, by, replace_all), []

    def save_import(
        self,
        pack: Pack,
        scenario: Scenario,
        parsed: scenario_csv.CsvImport,
        by: Account,
        replace_all: bool = False,
    ) -> Scenario:
        """Save a checked file (`scenario_csv.read_csv` without problems) into `scenario`."""
        self._writable()
        if parsed.problems:
            raise ScenarioError(parsed.problems)
        reg = {**self.registry(pack), scenario.id: scenario}
        updated = parsed.apply(scenario, replace_all)
        base = sc.base_frame(pack, updated, reg)
        return self.save(updated, scenario.version, by, base=base, action="import")
