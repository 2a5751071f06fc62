from inspectorate.estate import views
from inspectorate.lib.routes import routes

app_name = "estate"

# Fixed words come before <code>: codes are capitals, digits and hyphens, never these.
urlpatterns = routes(
    """
    ""                                   establishment_list    establishment-list
    import/                              establishment_import  establishment-import
    export/                              establishment_export  establishment-export
    providers/                           provider_list         provider-list
    providers/<int:pk>/                  provider_detail       provider-detail
    contracts/import/                    contract_import       contract-import
    contracts/export/                    contract_export       contract-export
    <str:code>/                          establishment_detail  establishment-detail
    <str:code>/edit/                     establishment_edit    establishment-edit
    <str:code>/contracts/add/            contract_edit         contract-add
    <str:code>/contracts/<int:pk>/edit/  contract_edit         contract-edit
    """,
    views,
)
