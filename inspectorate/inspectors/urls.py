from inspectorate.inspectors import views
from inspectorate.lib.routes import routes

app_name = "inspectors"

urlpatterns = [
    *routes(
        """
        ""                       inspector_list     list
        dbs-warnings/            dbs_warnings       dbs-warnings
        import/                  inspectors_import  import
        export.csv               inspectors_export  export
        <int:pk>/                inspector_detail   detail
        <int:pk>/vetting/        vetting_update     vetting
        """,
        views,
    ),
    *routes(
        """
        new/                             unavailability_add     unavailability-add
        <int:unavailability_pk>/remove/  unavailability_remove  unavailability-remove
        """,
        views,
        prefix="<int:pk>/unavailability/",
    ),
    *routes(
        """
        <int:pk>/conflicts/new/  conflict_declare  conflict-add
        """,
        views,
    ),
]
