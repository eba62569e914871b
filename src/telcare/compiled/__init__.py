"""The compiled tables: a :class:`~telcare.Policy` turned once into plain tuples and
numpy lookup tables that the rules read (the fitted state, kept apart from the
parameters as scikit-learn keeps ``coef_``).
"""

from __future__ import annotations

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.compiled._tables import (
    CREDIT_LEVEL_FIELDS as CREDIT_LEVEL_FIELDS,
    CompiledBenefits as CompiledBenefits,
    CompiledMoments as CompiledMoments,
    CompiledPolicy,
    CompiledSegment as CompiledSegment,
    CompiledTiers as CompiledTiers,
    compile_policy,
    credit_levels as credit_levels,
)

__all__ = [
    "CompiledPolicy",
    "compile_policy",
]
