"""An OpenFisca country package with Minzheng's core programs, for the benchmark only.

OpenFisca is AGPL-3.0: this package is imported only by ../openfisca_side.py, inside the
benchmark's own virtual environment (var/bench-openfisca-venv), never by Minzheng.

The 低保 standards are data (one urban and one rural value per county), so they are not in
parameters/ but in a YAML file written per run; `CountryTaxBenefitSystem` grafts it onto the
parameter tree as the node `dibao.standard`, keyed by county prefix, then urban/rural.
"""

from pathlib import Path

from openfisca_core.parameters import load_parameter_file
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_minzheng.entities import entities

HERE = Path(__file__).resolve().parent


class CountryTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self, standards_file: Path) -> None:
        super().__init__(entities)
        self.add_variables_from_directory(str(HERE / "variables"))
        self.load_parameters(str(HERE / "parameters"))
        standards = load_parameter_file(str(standards_file), name="dibao.standard")
        self.parameters.dibao.add_child("standard", standards)

    def get_package_metadata(self) -> dict[str, str]:
        # Not pip-installed (it lives in the benchmark), so say what it is instead of letting
        # OpenFisca look for a distribution and warn once per variables file.
        return {
            "name": "openfisca-minzheng",
            "version": "0",
            "repository_url": "",
            "location": str(HERE),
        }
