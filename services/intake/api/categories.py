"""`GET /v1/categories`: what a person may write about, from the office's catalogue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from services.intake.api.errors import GuardedRoute, refusals
from services.intake.context import IntakeContext, context_of
from shared.contract.events import Kind

router = APIRouter(prefix="/v1/categories", tags=["catalogue"], route_class=GuardedRoute)


class UnitOut(BaseModel):
    code: str
    name_th: str
    name_en: str


class CategoryOut(BaseModel):
    code: str
    name_th: str
    name_en: str
    kinds: list[Kind]
    unit: UnitOut


class CategoriesOut(BaseModel):
    categories: list[CategoryOut]


@router.get(
    "",
    summary="Categories with Thai and English names, accepted kinds and responsible unit",
    response_model=CategoriesOut,
    responses=refusals(),
)
async def categories(intake: Annotated[IntakeContext, Depends(context_of)]) -> CategoriesOut:
    # The units as an admin last named them; the categories are the file's.
    catalogue = await intake.units.catalogue()
    return CategoriesOut(
        categories=[
            CategoryOut(
                code=c.code,
                name_th=c.name_th,
                name_en=c.name_en,
                kinds=list(c.kinds),
                unit=UnitOut(
                    code=c.unit,
                    name_th=catalogue.unit(c.unit).name_th,
                    name_en=catalogue.unit(c.unit).name_en,
                ),
            )
            for c in catalogue.categories
        ]
    )
