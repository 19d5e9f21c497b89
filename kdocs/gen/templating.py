"""The generators' templating: jinja2 environments and the named escaping filters.

They live in :mod:`kdocs.templating` (a primitive: the rule catalogue renders through them
too); this module names them for the generators.
"""

from __future__ import annotations

from kdocs.templating import (
    FILTERS as FILTERS,
)
from kdocs.templating import (
    environment as environment,
)
from kdocs.templating import (
    gen_environment as gen_environment,
)
from kdocs.templating import (
    html as html,
)
from kdocs.templating import (
    markdown_code_block as markdown_code_block,
)
from kdocs.templating import (
    markdown_code_span as markdown_code_span,
)
from kdocs.templating import (
    markdown_inline as markdown_inline,
)
from kdocs.templating import (
    markdown_table_cell as markdown_table_cell,
)
from kdocs.templating import (
    render as render,
)
from kdocs.templating import (
    roff as roff,
)
from kdocs.templating import (
    roff_arg as roff_arg,
)
from kdocs.templating import (
    templates_dir as templates_dir,
)
from kdocs.templating import (
    yaml_str as yaml_str,
)
