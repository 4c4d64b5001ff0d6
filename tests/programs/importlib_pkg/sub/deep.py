from .. import leaf
from ..leaf import VALUE as V
DEPTH = 2
