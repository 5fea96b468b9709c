app_name = "ehcp"

urlpatterns: list = []
