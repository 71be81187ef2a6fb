"""Builds the demo catalog `skill/data/catalog.json` from the product tables below.

The tables are the source of truth; the JSON is generated and committed so the store, search and the
interaction-model generator read one plain file. Rebuild after editing a table:

    .venv/bin/python -m skill.data.build_catalog

Prices are typical US supermarket shelf prices (cents). Deals, stock levels and descriptions are
derived deterministically from the SKU, so a rebuild without table changes gives the same file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

__all__ = [
    "CATALOG_PATH", "GENERICS", "Generic", "TableRow", "build_catalog", "discounted", "product_fields", "table_rows",
    "write_catalog", "write_products",
]

CATALOG_PATH = Path(__file__).with_name("catalog.json")

# (brand, name without brand, size, unit, price in cents[, synonyms of this product only])
Row = tuple[str, str, str, str, int] | tuple[str, str, str, str, int, tuple[str, ...]]


@dataclass(frozen=True)
class Generic:
    """One product-slot id and the products that answer to it."""

    key: str
    """The PRODUCT slot id, lowercase snake case, e.g. 'oat_milk'."""
    prefix: str
    """SKU prefix, e.g. 'OATM'."""
    category: str
    """Store aisle the products sit in."""
    synonyms: tuple[str, ...]
    """Extra words shoppers use for every product of this kind."""
    rows: tuple[Row, ...]
    """The products."""


def _g(key: str, prefix: str, category: str, synonyms: list[str], rows: list[Row]) -> Generic:
    return Generic(key, prefix, category, tuple(synonyms), tuple(rows))


DAIRY = "Dairy & Eggs"
BAKERY = "Bakery"
PRODUCE = "Produce"
DRINKS = "Beverages"
PANTRY = "Pantry"
SNACKS = "Snacks & Candy"
MEAT = "Meat & Seafood"
FROZEN = "Frozen"
HOUSE = "Household"
CARE = "Personal Care"
BABY = "Baby"
PET = "Pet Supplies"

GENERICS: tuple[Generic, ...] = (
    # ---- dairy and eggs
    _g("milk", "MILK", DAIRY, ["dairy milk", "cow's milk"], [
        ("Horizon Organic", "Organic Whole Milk", "1 gallon", "gallon", 749, ("whole milk", "organic milk")),
        ("Horizon Organic", "Organic Reduced Fat 2% Milk", "half gallon", "carton", 479,
         ("two percent", "two percent milk", "reduced fat milk", "organic milk")),
        ("Fairlife", "Ultra-Filtered 2% Reduced Fat Milk", "52 oz", "bottle", 449,
         ("two percent", "two percent milk", "reduced fat milk", "protein milk")),
        ("Organic Valley", "Whole Milk", "half gallon", "carton", 529, ("whole milk", "organic milk")),
        ("Great Value", "Whole Vitamin D Milk", "1 gallon", "gallon", 348, ("whole milk", "vitamin d milk")),
        ("Great Value", "Fat Free Skim Milk", "1 gallon", "gallon", 338,
         ("skim milk", "fat free milk", "nonfat milk")),
        ("Lactaid", "Lactose-Free Whole Milk", "96 oz", "bottle", 599, ("lactose free milk", "whole milk")),
    ]),
    _g("oat_milk", "OATM", DAIRY, ["oat beverage", "oat drink", "oatmilk"], [
        ("Oatly", "Original Oatmilk", "64 oz", "carton", 549),
        ("Oatly", "Barista Edition Oatmilk", "32 oz", "carton", 429),
        ("Planet Oat", "Extra Creamy Oatmilk", "52 oz", "carton", 399),
        ("Califia Farms", "Unsweetened Oat Milk", "48 oz", "bottle", 479),
        ("Chobani", "Plain Oat Milk", "52 oz", "carton", 419),
    ]),
    _g("almond_milk", "ALMK", DAIRY, ["almond beverage", "almondmilk"], [
        ("Silk", "Unsweetened Almond Milk", "half gallon", "carton", 369),
        ("Almond Breeze", "Original Almond Milk", "half gallon", "carton", 349),
        ("Califia Farms", "Vanilla Almond Milk", "48 oz", "bottle", 479),
    ]),
    _g("eggs", "EGGS", DAIRY, ["egg", "large eggs"], [
        ("Eggland's Best", "Large White Eggs", "12 count", "dozen", 449, ("white eggs",)),
        ("Vital Farms", "Pasture-Raised Large Brown Eggs", "12 count", "dozen", 699,
         ("brown eggs", "pasture raised eggs")),
        ("Great Value", "Large White Eggs", "18 count", "pack", 429, ("white eggs", "eighteen eggs")),
        ("Pete and Gerry's", "Organic Free Range Large Brown Eggs", "12 count", "dozen", 629,
         ("brown eggs", "organic eggs", "free range eggs")),
        ("Happy Egg Co.", "Free Range Large Eggs", "6 count", "pack", 329, ("free range eggs", "half dozen eggs")),
    ]),
    _g("butter", "BUTR", DAIRY, ["salted butter", "unsalted butter", "stick butter"], [
        ("Land O Lakes", "Salted Butter Sticks", "16 oz", "pack", 549),
        ("Land O Lakes", "Unsalted Butter Sticks", "16 oz", "pack", 549),
        ("Kerrygold", "Pure Irish Salted Butter", "8 oz", "bar", 429),
        ("Challenge", "Spreadable Butter with Canola Oil", "15 oz", "tub", 499),
        ("Great Value", "Sweet Cream Salted Butter", "16 oz", "pack", 389),
    ]),
    _g("cheddar_cheese", "CHED", DAIRY, ["cheddar", "sharp cheddar", "shredded cheddar", "cheese"], [
        ("Tillamook", "Sharp Cheddar Cheese Block", "2 lb", "block", 1099),
        ("Tillamook", "Medium Cheddar Shredded Cheese", "8 oz", "bag", 449),
        ("Cabot", "Extra Sharp White Cheddar", "8 oz", "bar", 399),
        ("Kraft", "Mild Cheddar Finely Shredded Cheese", "8 oz", "bag", 349),
        ("Sargento", "Sharp Cheddar Cheese Slices", "8 oz", "pack", 429),
    ]),
    _g("mozzarella_cheese", "MOZZ", DAIRY, ["mozzarella", "pizza cheese", "fresh mozzarella"], [
        ("Galbani", "Whole Milk Mozzarella", "16 oz", "block", 599),
        ("Kraft", "Low-Moisture Part-Skim Shredded Mozzarella", "8 oz", "bag", 349),
        ("BelGioioso", "Fresh Mozzarella Ball", "8 oz", "each", 499),
    ]),
    _g("cream_cheese", "CRMC", DAIRY, ["cream cheese spread", "schmear"], [
        ("Philadelphia", "Original Cream Cheese", "8 oz", "bar", 299),
        ("Philadelphia", "Whipped Cream Cheese Spread", "8 oz", "tub", 429),
        ("Great Value", "Original Cream Cheese", "8 oz", "bar", 178),
    ]),
    _g("greek_yogurt", "GRKY", DAIRY, ["greek yoghurt", "plain greek yogurt", "strained yogurt"], [
        ("Fage", "Total 0% Plain Greek Yogurt", "32 oz", "tub", 699),
        ("Fage", "Total 5% Whole Milk Greek Yogurt", "17.6 oz", "tub", 499),
        ("Chobani", "Non-Fat Plain Greek Yogurt", "32 oz", "tub", 599),
        ("Chobani", "Strawberry on the Bottom Greek Yogurt", "5.3 oz", "cup", 149),
        ("Oikos", "Triple Zero Vanilla Greek Yogurt", "4 pack", "pack", 549),
    ]),
    _g("yogurt", "YOGT", DAIRY, ["yoghurt", "yogurt cups", "regular yogurt", "kids yogurt"], [
        ("Yoplait", "Original Strawberry Low Fat Yogurt", "6 oz", "cup", 89),
        ("Yoplait", "Original Variety Pack Yogurt", "8 pack", "pack", 549),
        ("Dannon", "Whole Milk Plain Yogurt", "32 oz", "tub", 429),
        ("Stonyfield Organic", "Whole Milk Vanilla Yogurt", "32 oz", "tub", 549),
        ("Activia", "Probiotic Peach Yogurt", "4 pack", "pack", 429),
        ("Go-Gurt", "Strawberry and Berry Yogurt Tubes", "8 count", "box", 399),
    ]),
    _g("sour_cream", "SOUR", DAIRY, ["soured cream"], [
        ("Daisy", "Pure and Natural Sour Cream", "16 oz", "tub", 329),
        ("Breakstone's", "All Natural Sour Cream", "8 oz", "tub", 229),
    ]),
    _g("heavy_cream", "CREM", DAIRY, ["whipping cream", "heavy whipping cream", "cream"], [
        ("Horizon Organic", "Heavy Whipping Cream", "16 oz", "carton", 549),
        ("Great Value", "Heavy Whipping Cream", "32 oz", "carton", 598),
    ]),
    _g("coffee_creamer", "CRMR", DAIRY, ["creamer", "half and half"], [
        ("Coffee Mate", "Original Liquid Coffee Creamer", "32 oz", "bottle", 479),
        ("International Delight", "French Vanilla Coffee Creamer", "32 oz", "bottle", 449),
        ("Land O Lakes", "Half and Half", "1 quart", "carton", 379),
    ]),
    # ---- bakery
    _g("bread", "BRED", BAKERY, ["sliced bread", "sandwich bread"], [
        ("Dave's Killer Bread", "21 Whole Grains and Seeds Bread", "27 oz", "loaf", 649,
         ("whole grain bread", "seeded bread", "multigrain bread")),
        ("Nature's Own", "Honey Wheat Bread", "20 oz", "loaf", 379, ("wheat bread", "honey wheat")),
        ("Wonder", "Classic White Bread", "20 oz", "loaf", 329, ("white bread",)),
        ("Pepperidge Farm", "Farmhouse Hearty White Bread", "24 oz", "loaf", 479, ("white bread",)),
        ("Arnold", "Whole Grains 100% Whole Wheat Bread", "24 oz", "loaf", 499,
         ("whole wheat bread", "wheat bread", "brown bread")),
        ("Great Value", "Sandwich Bread", "20 oz", "loaf", 142, ("white bread", "cheap bread")),
        ("La Brea Bakery", "Sourdough Loaf", "24 oz", "loaf", 549, ("sourdough", "sourdough bread")),
        ("Canyon Bakehouse", "Gluten Free Heritage Style Whole Grain Bread", "24 oz", "loaf", 749,
         ("gluten free bread", "whole grain bread")),
    ]),
    _g("bagels", "BAGL", BAKERY, ["bagel", "plain bagels"], [
        ("Thomas'", "Plain Bagels", "6 count", "pack", 449),
        ("Thomas'", "Everything Bagels", "6 count", "pack", 449),
        ("Dave's Killer Bread", "Epic Everything Organic Bagels", "5 count", "pack", 599),
    ]),
    _g("tortillas", "TORT", BAKERY, ["tortilla", "flour tortillas", "corn tortillas", "wraps"], [
        ("Mission", "Soft Taco Flour Tortillas", "10 count", "pack", 349),
        ("Mission", "White Corn Tortillas", "30 count", "pack", 299),
        ("Guerrero", "Burrito Size Flour Tortillas", "8 count", "pack", 329),
    ]),
    _g("english_muffins", "MUFN", BAKERY, ["english muffin", "muffins"], [
        ("Thomas'", "Original Nooks and Crannies English Muffins", "6 count", "pack", 429),
        ("Bays", "Original English Muffins", "6 count", "pack", 449),
    ]),
    # ---- produce
    _g("bananas", "BANA", PRODUCE, ["banana", "organic bananas"], [
        ("Chiquita", "Bananas", "about 2.5 lb", "bunch", 169),
        ("Dole", "Bananas", "about 2.5 lb", "bunch", 159),
        ("Fresh Produce", "Organic Bananas", "about 2.5 lb", "bunch", 229),
        ("Fresh Produce", "Single Banana", "1 each", "each", 27),
    ]),
    _g("apples", "APPL", PRODUCE, ["apple"], [
        ("Fresh Produce", "Honeycrisp Apples", "3 lb", "bag", 699, ("honeycrisp", "honeycrisp apples")),
        ("Fresh Produce", "Gala Apples", "3 lb", "bag", 449, ("gala", "gala apples")),
        ("Fresh Produce", "Granny Smith Apple", "1 each", "each", 109,
         ("granny smith", "green apple", "green apples")),
        ("Fresh Produce", "Organic Fuji Apples", "2 lb", "bag", 549, ("fuji apples", "organic apples")),
        ("Cosmic Crisp", "Apples", "3 lb", "bag", 649, ("cosmic crisp apples",)),
    ]),
    _g("potatoes", "POTA", PRODUCE, ["potato", "spuds"], [
        ("Fresh Produce", "Russet Potatoes", "5 lb", "bag", 449, ("russet potatoes", "baking potatoes")),
        ("Fresh Produce", "Red Potatoes", "5 lb", "bag", 499, ("red potatoes",)),
        ("Fresh Produce", "Yukon Gold Potatoes", "3 lb", "bag", 429, ("yukon gold", "gold potatoes")),
        ("Fresh Produce", "Sweet Potato", "1 each", "each", 129, ("sweet potato", "sweet potatoes", "yam")),
    ]),
    _g("onions", "ONIO", PRODUCE, ["onion", "yellow onions", "red onion"], [
        ("Fresh Produce", "Yellow Onions", "3 lb", "bag", 349),
        ("Fresh Produce", "Red Onion", "1 each", "each", 119),
        ("Fresh Produce", "Sweet Vidalia Onions", "2 lb", "bag", 399),
    ]),
    _g("tomatoes", "TOMA", PRODUCE, ["tomato", "roma tomatoes", "cherry tomatoes"], [
        ("Fresh Produce", "Roma Tomatoes", "1 lb", "bag", 199),
        ("NatureSweet", "Cherubs Grape Tomatoes", "10 oz", "pack", 399),
        ("Fresh Produce", "Tomatoes on the Vine", "1 lb", "pack", 299),
    ]),
    _g("avocados", "AVOC", PRODUCE, ["avocado", "hass avocados"], [
        ("Fresh Produce", "Hass Avocado", "1 each", "each", 129),
        ("Fresh Produce", "Hass Avocados", "4 count", "bag", 499),
    ]),
    _g("carrots", "CARR", PRODUCE, ["carrot", "baby carrots"], [
        ("Bolthouse Farms", "Baby Carrots", "1 lb", "bag", 169),
        ("Grimmway Farms", "Organic Whole Carrots", "2 lb", "bag", 279),
    ]),
    _g("lettuce", "LETT", PRODUCE, ["romaine", "salad", "salad greens", "iceberg lettuce"], [
        ("Fresh Produce", "Romaine Hearts", "3 count", "pack", 349),
        ("Fresh Produce", "Iceberg Lettuce", "1 head", "each", 199),
        ("Taylor Farms", "Chopped Caesar Salad Kit", "11.5 oz", "bag", 449),
    ]),
    _g("spinach", "SPIN", PRODUCE, ["baby spinach", "leafy greens"], [
        ("Earthbound Farm", "Organic Baby Spinach", "5 oz", "box", 399),
        ("Fresh Express", "Baby Spinach", "10 oz", "bag", 349),
    ]),
    _g("strawberries", "STRW", PRODUCE, ["strawberry", "berries"], [
        ("Driscoll's", "Strawberries", "1 lb", "pack", 449),
        ("Driscoll's", "Organic Strawberries", "1 lb", "pack", 599),
    ]),
    _g("blueberries", "BLUE", PRODUCE, ["blueberry"], [
        ("Driscoll's", "Blueberries", "6 oz", "pack", 399),
        ("Naturipe", "Blueberries", "1 pint", "pack", 549),
    ]),
    _g("grapes", "GRAP", PRODUCE, ["grape", "red grapes", "green grapes"], [
        ("Fresh Produce", "Red Seedless Grapes", "about 2 lb", "bag", 598),
        ("Fresh Produce", "Green Seedless Grapes", "about 2 lb", "bag", 598),
    ]),
    _g("lemons", "LEMN", PRODUCE, ["lemon"], [
        ("Fresh Produce", "Lemon", "1 each", "each", 79),
        ("Sunkist", "Lemons", "2 lb", "bag", 499),
    ]),
    # ---- beverages
    _g("coffee", "COFF", DRINKS, ["joe", "java"], [
        ("Starbucks", "Pike Place Roast Ground Coffee", "12 oz", "bag", 999, ("ground coffee", "medium roast")),
        ("Starbucks", "French Roast Whole Bean Coffee", "18 oz", "bag", 1399,
         ("coffee beans", "whole bean coffee", "dark roast")),
        ("Folgers", "Classic Roast Ground Coffee", "25.9 oz", "canister", 1149, ("ground coffee",)),
        ("Dunkin'", "Original Blend Ground Coffee", "12 oz", "bag", 899, ("ground coffee", "dunkin donuts coffee")),
        ("Peet's Coffee", "Major Dickason's Blend Whole Bean", "18 oz", "bag", 1399,
         ("coffee beans", "whole bean coffee", "dark roast")),
        ("Green Mountain Coffee", "Breakfast Blend K-Cup Pods", "24 count", "box", 1699,
         ("coffee pods", "k cups", "keurig pods")),
        ("Maxwell House", "Original Roast Ground Coffee", "30.6 oz", "canister", 1049, ("ground coffee",)),
        ("Folgers", "Classic Decaf Ground Coffee", "22.6 oz", "canister", 1199, ("decaf coffee", "ground coffee")),
    ]),
    _g("tea", "TEAS", DRINKS, ["tea bags", "teabags"], [
        ("Lipton", "Black Tea Bags", "100 count", "box", 599, ("black tea", "iced tea")),
        ("Twinings", "English Breakfast Tea", "20 count", "box", 449, ("black tea", "english breakfast")),
        ("Bigelow", "Green Tea Bags", "40 count", "box", 549, ("green tea",)),
        ("Celestial Seasonings", "Sleepytime Herbal Tea", "20 count", "box", 399,
         ("herbal tea", "chamomile", "chamomile tea", "sleepy tea")),
        ("Tazo", "Chai Black Tea", "20 count", "box", 479, ("chai", "chai tea")),
    ]),
    _g("orange_juice", "ORJU", DRINKS, ["oj", "o. j."], [
        ("Tropicana", "Pure Premium No Pulp Orange Juice", "52 oz", "bottle", 449,
         ("no pulp orange juice", "pulp free orange juice")),
        ("Tropicana", "Pure Premium Homestyle Some Pulp Orange Juice", "89 oz", "bottle", 699,
         ("orange juice with pulp", "some pulp orange juice")),
        ("Simply Orange", "Pulp Free Orange Juice", "52 oz", "bottle", 479,
         ("no pulp orange juice", "pulp free orange juice")),
        ("Minute Maid", "Premium Original Orange Juice", "52 oz", "carton", 349, ("no pulp orange juice",)),
        ("Florida's Natural", "Orange Juice with Pulp", "52 oz", "carton", 429, ("orange juice with pulp",)),
    ]),
    _g("apple_juice", "APJU", DRINKS, ["apple cider"], [
        ("Mott's", "100% Original Apple Juice", "64 oz", "bottle", 349),
        ("Martinelli's", "Gold Medal Apple Juice", "50.7 oz", "bottle", 499),
        ("Juicy Juice", "Apple Juice Boxes", "8 pack", "pack", 429),
    ]),
    _g("sparkling_water", "SPRK", DRINKS, ["seltzer", "soda water", "fizzy water", "carbonated water",
                                            "club soda"], [
        ("LaCroix", "Lime Sparkling Water", "12 pack", "pack", 599),
        ("LaCroix", "Pamplemousse Sparkling Water", "12 pack", "pack", 599),
        ("Bubly", "Blackberry Sparkling Water", "8 pack", "pack", 449),
        ("San Pellegrino", "Sparkling Natural Mineral Water", "33.8 oz", "bottle", 249),
        ("Perrier", "Carbonated Mineral Water", "8 pack", "pack", 699),
        ("Topo Chico", "Mineral Water", "12 pack", "pack", 1399),
    ]),
    _g("bottled_water", "WATR", DRINKS, ["water", "spring water", "drinking water", "still water"], [
        ("Poland Spring", "Natural Spring Water", "24 pack", "case", 699),
        ("Dasani", "Purified Water", "24 pack", "case", 649),
        ("Fiji", "Natural Artesian Water", "1.5 liter", "bottle", 279),
        ("Smartwater", "Vapor Distilled Water", "1 liter", "bottle", 229),
    ]),
    _g("soda", "SODA", DRINKS, ["pop", "soft drinks", "cola", "coke", "soft drink"], [
        ("Coca-Cola", "Classic Coke", "12 pack", "pack", 799),
        ("Coca-Cola", "Diet Coke", "12 pack", "pack", 799),
        ("Pepsi", "Cola", "2 liter", "bottle", 299),
        ("Sprite", "Lemon Lime Soda", "12 pack", "pack", 799),
        ("Dr Pepper", "Soda", "12 pack", "pack", 749),
    ]),
    _g("sports_drink", "SPDR", DRINKS, ["electrolyte drink"], [
        ("Gatorade", "Fruit Punch Thirst Quencher", "8 pack", "pack", 699),
        ("Powerade", "Mountain Berry Blast", "28 oz", "bottle", 149),
    ]),
    # ---- pantry
    _g("rice", "RICE", PANTRY, [], [
        ("Mahatma", "Extra Long Grain Enriched White Rice", "5 lb", "bag", 549, ("white rice", "long grain rice")),
        ("Mahatma", "Jasmine Rice", "2 lb", "bag", 449, ("jasmine rice",)),
        ("Uncle Ben's", "Original Converted Rice", "2 lb", "box", 499, ("white rice", "parboiled rice")),
        ("Lundberg", "Organic Brown Rice", "2 lb", "bag", 599, ("brown rice",)),
        ("Tilda", "Pure Basmati Rice", "4 lb", "bag", 1199, ("basmati rice", "basmati")),
        ("Minute", "Instant White Rice", "28 oz", "box", 479, ("instant rice", "minute rice", "white rice")),
    ]),
    _g("pasta", "PAST", PANTRY, ["spaghetti", "penne", "noodles", "macaroni", "rigatoni", "linguine"], [
        ("Barilla", "Spaghetti", "16 oz", "box", 199),
        ("Barilla", "Penne Rigate", "16 oz", "box", 199),
        ("De Cecco", "Linguine No. 7", "16 oz", "box", 329),
        ("Rao's Homemade", "Rigatoni", "16 oz", "bag", 449),
        ("Banza", "Chickpea Rotini", "8 oz", "box", 349),
        ("Great Value", "Elbow Macaroni", "32 oz", "box", 248),
    ]),
    _g("mac_and_cheese", "MACC", PANTRY, ["macaroni and cheese", "mac n cheese", "boxed mac"], [
        ("Kraft", "Original Macaroni and Cheese Dinner", "7.25 oz", "box", 129),
        ("Annie's", "Shells and White Cheddar", "6 oz", "box", 229),
        ("Kraft", "Original Macaroni and Cheese Dinner 5 Pack", "5 pack", "pack", 579),
    ]),
    _g("pasta_sauce", "SAUC", PANTRY, ["marinara", "tomato sauce", "spaghetti sauce", "red sauce"], [
        ("Rao's Homemade", "Marinara Sauce", "24 oz", "jar", 899),
        ("Prego", "Traditional Italian Sauce", "24 oz", "jar", 329),
        ("Ragu", "Old World Style Traditional Sauce", "24 oz", "jar", 279),
        ("Barilla", "Tomato and Basil Sauce", "24 oz", "jar", 299),
    ]),
    _g("cereal", "CERL", PANTRY, ["breakfast cereal", "cornflakes", "corn flakes", "cheerios", "granola"], [
        ("General Mills", "Cheerios", "18 oz", "box", 529),
        ("General Mills", "Honey Nut Cheerios", "15.4 oz", "box", 529),
        ("Kellogg's", "Frosted Flakes", "13.5 oz", "box", 479),
        ("Kellogg's", "Corn Flakes", "18 oz", "box", 449),
        ("Post", "Honey Bunches of Oats with Almonds", "14.5 oz", "box", 479),
        ("Nature Valley", "Oats and Honey Protein Granola", "11 oz", "bag", 499),
        ("Kashi", "GO Original Cereal", "13.1 oz", "box", 549),
    ]),
    _g("oatmeal", "OATS", PANTRY, ["oats", "rolled oats", "porridge", "instant oatmeal"], [
        ("Quaker", "Old Fashioned Oats", "42 oz", "canister", 649),
        ("Quaker", "Instant Oatmeal Maple and Brown Sugar", "10 count", "box", 449),
        ("Bob's Red Mill", "Organic Steel Cut Oats", "24 oz", "bag", 699),
    ]),
    _g("olive_oil", "OLIV", PANTRY, ["extra virgin olive oil", "e. v. o. o.", "evoo", "cooking oil"], [
        ("California Olive Ranch", "Extra Virgin Olive Oil", "16.9 oz", "bottle", 999),
        ("Bertolli", "Extra Virgin Olive Oil", "25.5 oz", "bottle", 1149),
        ("Colavita", "Extra Virgin Olive Oil", "17 oz", "bottle", 1049),
        ("Pompeian", "Smooth Extra Virgin Olive Oil", "48 oz", "bottle", 1799),
        ("Filippo Berio", "Pure Olive Oil", "16.9 oz", "bottle", 749),
    ]),
    _g("vegetable_oil", "VOIL", PANTRY, ["canola oil", "frying oil"], [
        ("Crisco", "Pure Vegetable Oil", "48 oz", "bottle", 599),
        ("Wesson", "Canola Oil", "48 oz", "bottle", 649),
    ]),
    _g("peanut_butter", "PNBT", PANTRY, ["p. b.", "creamy peanut butter", "crunchy peanut butter",
                                          "natural peanut butter"], [
        ("Jif", "Creamy Peanut Butter", "16 oz", "jar", 349),
        ("Jif", "Extra Crunchy Peanut Butter", "40 oz", "jar", 749),
        ("Skippy", "Creamy Peanut Butter", "16.3 oz", "jar", 329),
        ("Smucker's", "Natural Creamy Peanut Butter", "16 oz", "jar", 399),
        ("Justin's", "Classic Peanut Butter", "16 oz", "jar", 649),
    ]),
    _g("almond_butter", "ALBT", PANTRY, ["almond spread", "nut butter"], [
        ("Justin's", "Classic Almond Butter", "16 oz", "jar", 1099),
        ("Barney Butter", "Smooth Almond Butter", "16 oz", "jar", 999),
        ("MaraNatha", "No Stir Creamy Almond Butter", "12 oz", "jar", 899),
        ("Kirkland Signature", "Organic Creamy Almond Butter", "27 oz", "jar", 1199),
    ]),
    _g("jam", "JAMS", PANTRY, ["jelly", "preserves", "strawberry jam", "grape jelly"], [
        ("Smucker's", "Strawberry Jam", "18 oz", "jar", 399),
        ("Welch's", "Concord Grape Jelly", "30 oz", "jar", 379),
        ("Bonne Maman", "Raspberry Preserves", "13 oz", "jar", 549),
    ]),
    _g("honey", "HONY", PANTRY, ["raw honey", "clover honey"], [
        ("Nature Nate's", "100% Pure Raw and Unfiltered Honey", "16 oz", "bottle", 699),
        ("Sue Bee", "Clover Honey Bear", "12 oz", "bottle", 449),
    ]),
    _g("tomato_soup", "TSOP", PANTRY, ["cream of tomato", "tomato bisque"], [
        ("Campbell's", "Condensed Tomato Soup", "10.75 oz", "can", 129),
        ("Campbell's", "Condensed Tomato Soup 4 Pack", "4 pack", "pack", 499),
        ("Pacific Foods", "Organic Creamy Tomato Soup", "32 oz", "carton", 449),
        ("Progresso", "Vegetable Classics Hearty Tomato Soup", "19 oz", "can", 299),
        ("Amy's", "Organic Chunky Tomato Bisque", "14.5 oz", "can", 379),
        ("Pacific Foods", "Organic Light Sodium Creamy Tomato Soup", "32 oz", "carton", 479,
         ("low sodium tomato soup",)),
    ]),
    _g("chicken_soup", "CSOP", PANTRY, ["chicken noodle soup", "chicken noodle"], [
        ("Campbell's", "Condensed Chicken Noodle Soup", "10.75 oz", "can", 139),
        ("Progresso", "Traditional Chicken Noodle Soup", "19 oz", "can", 299),
        ("Pacific Foods", "Organic Chicken Noodle Soup", "17.6 oz", "carton", 449),
    ]),
    _g("chicken_broth", "BROT", PANTRY, ["broth", "stock", "chicken stock"], [
        ("Swanson", "Chicken Broth", "32 oz", "carton", 299),
        ("Kitchen Basics", "Unsalted Chicken Stock", "32 oz", "carton", 349),
    ]),
    _g("beans", "BEAN", PANTRY, ["black beans", "kidney beans", "chickpeas", "pinto beans", "canned beans"], [
        ("Bush's", "Black Beans", "15 oz", "can", 129),
        ("Bush's", "Original Baked Beans", "28 oz", "can", 299),
        ("Goya", "Chick Peas", "15.5 oz", "can", 149),
        ("Goya", "Pinto Beans", "15.5 oz", "can", 139),
    ]),
    _g("canned_tuna", "TUNA", PANTRY, ["tuna", "tuna fish", "chunk light tuna"], [
        ("StarKist", "Chunk Light Tuna in Water", "5 oz", "can", 119),
        ("Bumble Bee", "Solid White Albacore Tuna", "5 oz", "can", 229),
        ("Wild Planet", "Wild Skipjack Light Tuna", "5 oz", "can", 329),
    ]),
    _g("flour", "FLOU", PANTRY, ["all purpose flour", "baking flour"], [
        ("Gold Medal", "All-Purpose Flour", "5 lb", "bag", 399),
        ("King Arthur", "Unbleached All-Purpose Flour", "5 lb", "bag", 599),
    ]),
    _g("sugar", "SUGR", PANTRY, ["white sugar", "granulated sugar", "cane sugar", "brown sugar"], [
        ("Domino", "Premium Pure Cane Granulated Sugar", "4 lb", "bag", 449),
        ("C&H", "Light Brown Sugar", "2 lb", "bag", 349),
    ]),
    _g("salt", "SALT", PANTRY, ["table salt", "sea salt", "kosher salt"], [
        ("Morton", "Iodized Table Salt", "26 oz", "canister", 149),
        ("Diamond Crystal", "Kosher Salt", "3 lb", "box", 449),
    ]),
    _g("ketchup", "KETC", PANTRY, ["catsup", "tomato ketchup"], [
        ("Heinz", "Tomato Ketchup", "32 oz", "bottle", 449),
        ("Hunt's", "Tomato Ketchup", "24 oz", "bottle", 249),
    ]),
    _g("mayonnaise", "MAYO", PANTRY, ["mayo"], [
        ("Hellmann's", "Real Mayonnaise", "30 oz", "jar", 649),
        ("Duke's", "Real Mayonnaise", "32 oz", "jar", 599),
    ]),
    _g("mustard", "MUST", PANTRY, ["yellow mustard", "dijon"], [
        ("French's", "Classic Yellow Mustard", "14 oz", "bottle", 199),
        ("Grey Poupon", "Dijon Mustard", "8 oz", "jar", 399),
    ]),
    _g("salsa", "SALS", PANTRY, ["picante sauce", "chunky salsa"], [
        ("Tostitos", "Chunky Medium Salsa", "15.5 oz", "jar", 449),
        ("Pace", "Mild Chunky Salsa", "16 oz", "jar", 329),
    ]),
    # ---- snacks and candy
    _g("chips", "CHIP", SNACKS, ["potato chips", "crisps", "tortilla chips"], [
        ("Lay's", "Classic Potato Chips", "8 oz", "bag", 479),
        ("Doritos", "Nacho Cheese Tortilla Chips", "9.25 oz", "bag", 549),
        ("Kettle Brand", "Sea Salt Potato Chips", "8.5 oz", "bag", 449),
        ("Tostitos", "Scoops Tortilla Chips", "10 oz", "bag", 499),
    ]),
    _g("crackers", "CRAK", SNACKS, ["cracker", "saltines"], [
        ("Ritz", "Original Crackers", "13.7 oz", "box", 449),
        ("Triscuit", "Original Whole Grain Crackers", "8.5 oz", "box", 429),
        ("Goldfish", "Cheddar Crackers", "6.6 oz", "bag", 279),
    ]),
    _g("cookies", "COOK", SNACKS, ["cookie", "biscuits", "oreos", "chocolate chip cookies"], [
        ("Oreo", "Chocolate Sandwich Cookies", "14.3 oz", "pack", 479),
        ("Chips Ahoy!", "Original Chocolate Chip Cookies", "13 oz", "pack", 449),
        ("Pepperidge Farm", "Milano Double Dark Chocolate Cookies", "7.5 oz", "bag", 479),
    ]),
    _g("granola_bars", "GRNB", SNACKS, ["granola bar", "cereal bars", "snack bars", "protein bars"], [
        ("Nature Valley", "Crunchy Oats and Honey Granola Bars", "12 count", "box", 449),
        ("KIND", "Dark Chocolate Nuts and Sea Salt Bars", "6 count", "box", 749),
        ("Clif Bar", "Chocolate Chip Energy Bars", "6 count", "box", 799),
        ("Quaker", "Chewy Chocolate Chip Granola Bars", "8 count", "box", 349),
    ]),
    _g("nuts", "NUTS", SNACKS, ["almonds", "cashews", "mixed nuts", "peanuts", "trail mix"], [
        ("Blue Diamond", "Roasted Salted Almonds", "16 oz", "bag", 799),
        ("Planters", "Deluxe Mixed Nuts", "15.25 oz", "can", 899),
        ("Wonderful", "Roasted and Salted Pistachios", "16 oz", "bag", 999),
    ]),
    _g("popcorn", "POPC", SNACKS, ["microwave popcorn", "kettle corn"], [
        ("Orville Redenbacher's", "Butter Microwave Popcorn", "6 count", "box", 499),
        ("SkinnyPop", "Original Popcorn", "4.4 oz", "bag", 399),
    ]),
    _g("candy", "CAND", SNACKS, ["chocolate", "candy bar", "sweets", "chocolate candy", "m and m's"], [
        ("M&M's", "Peanut Chocolate Candies", "10.05 oz", "bag", 499),
        ("M&M's", "Milk Chocolate Candies Sharing Size", "10.7 oz", "bag", 499),
        ("Hershey's", "Milk Chocolate Bar", "1.55 oz", "bar", 159),
        ("Reese's", "Peanut Butter Cups", "6 pack", "pack", 429),
        ("Ghirardelli", "Intense Dark 72% Cacao Bar", "3.5 oz", "bar", 379),
        ("Skittles", "Original Fruity Candy", "7.2 oz", "bag", 329),
    ]),
    # ---- meat and seafood
    _g("chicken_breast", "CHKN", MEAT, ["chicken", "chicken breasts", "boneless chicken"], [
        ("Perdue", "Boneless Skinless Chicken Breasts", "about 1.5 lb", "pack", 899),
        ("Tyson", "Frozen Boneless Skinless Chicken Breasts", "3 lb", "bag", 1149),
        ("Bell and Evans", "Air Chilled Chicken Breasts", "about 1.25 lb", "pack", 1099),
    ]),
    _g("ground_beef", "BEEF", MEAT, ["beef", "hamburger meat", "minced beef", "ground chuck"], [
        ("Fresh Meat", "80% Lean Ground Beef", "1 lb", "pack", 549),
        ("Laura's Lean", "92% Lean Ground Beef", "1 lb", "pack", 749),
        ("Fresh Meat", "85% Lean Ground Beef Family Pack", "3 lb", "pack", 1499),
    ]),
    _g("bacon", "BACN", MEAT, ["bacon strips", "turkey bacon"], [
        ("Oscar Mayer", "Naturally Hardwood Smoked Bacon", "16 oz", "pack", 749),
        ("Smithfield", "Thick Cut Bacon", "16 oz", "pack", 699),
        ("Butterball", "Original Turkey Bacon", "12 oz", "pack", 449),
    ]),
    _g("salmon", "SALM", MEAT, ["salmon fillet", "fish"], [
        ("Fresh Seafood", "Atlantic Salmon Fillet", "about 1 lb", "pack", 1299),
        ("Kirkland Signature", "Wild Sockeye Salmon Frozen Fillets", "2 lb", "bag", 2199),
    ]),
    _g("deli_turkey", "TURK", MEAT, ["turkey", "sliced turkey", "lunch meat", "cold cuts"], [
        ("Boar's Head", "Ovengold Roasted Turkey Breast", "8 oz", "pack", 749),
        ("Oscar Mayer", "Deli Fresh Oven Roasted Turkey Breast", "9 oz", "pack", 529),
    ]),
    # ---- frozen
    _g("frozen_pizza", "PIZZ", FROZEN, ["pizza", "pepperoni pizza", "cheese pizza"], [
        ("DiGiorno", "Rising Crust Pepperoni Pizza", "27.5 oz", "box", 799),
        ("Red Baron", "Classic Crust Four Cheese Pizza", "21.06 oz", "box", 499),
        ("Amy's", "Margherita Pizza", "13 oz", "box", 899),
    ]),
    _g("ice_cream", "ICEC", FROZEN, ["ice-cream", "gelato", "vanilla ice cream"], [
        ("Ben and Jerry's", "Chocolate Chip Cookie Dough Ice Cream", "1 pint", "tub", 599),
        ("Häagen-Dazs", "Vanilla Ice Cream", "14 oz", "tub", 579),
        ("Breyers", "Natural Vanilla Ice Cream", "48 oz", "tub", 549),
        ("Tillamook", "Mudslide Ice Cream", "48 oz", "tub", 699),
    ]),
    _g("frozen_vegetables", "FVEG", FROZEN, ["frozen peas", "frozen broccoli", "frozen corn", "mixed vegetables"], [
        ("Birds Eye", "Steamfresh Broccoli Florets", "10.8 oz", "bag", 279),
        ("Green Giant", "Sweet Peas", "12 oz", "bag", 249),
        ("Birds Eye", "Mixed Vegetables", "12 oz", "bag", 229),
    ]),
    _g("frozen_waffles", "WAFF", FROZEN, ["waffles", "eggos"], [
        ("Eggo", "Homestyle Waffles", "10 count", "box", 379),
        ("Eggo", "Blueberry Waffles", "10 count", "box", 379),
    ]),
    # ---- household
    _g("paper_towels", "PTWL", HOUSE, ["paper towel", "kitchen roll", "kitchen towels", "paper towel rolls"], [
        ("Bounty", "Select-A-Size Paper Towels", "6 double rolls", "pack", 1299),
        ("Bounty", "Select-A-Size Paper Towels", "12 double rolls", "pack", 2499),
        ("Viva", "Multi-Surface Cloth Paper Towels", "6 rolls", "pack", 1149),
        ("Brawny", "Tear-A-Square Paper Towels", "6 rolls", "pack", 1099),
        ("Seventh Generation", "Recycled Paper Towels", "6 rolls", "pack", 1049),
    ]),
    _g("toilet_paper", "TPAP", HOUSE, ["toilet tissue", "bathroom tissue", "loo roll", "t. p.",
                                        "toilet roll"], [
        ("Charmin", "Ultra Soft Toilet Paper", "12 mega rolls", "pack", 1899),
        ("Charmin", "Ultra Strong Toilet Paper", "6 mega rolls", "pack", 999),
        ("Cottonelle", "Ultra Comfort Toilet Paper", "12 family mega rolls", "pack", 1799),
        ("Scott", "1000 Sheets Toilet Paper", "20 rolls", "pack", 1899),
        ("Angel Soft", "Toilet Paper", "12 mega rolls", "pack", 1099),
        ("Quilted Northern", "Ultra Plush Toilet Paper", "6 mega rolls", "pack", 1149),
    ]),
    _g("facial_tissues", "TISS", HOUSE, ["tissues", "kleenex", "tissue box"], [
        ("Kleenex", "Ultra Soft Facial Tissues", "3 boxes", "pack", 699),
        ("Puffs", "Plus Lotion Facial Tissues", "4 boxes", "pack", 799),
    ]),
    _g("dish_soap", "DSOP", HOUSE, ["dishwashing liquid", "washing up liquid", "dish detergent",
                                     "dishwashing soap"], [
        ("Dawn", "Ultra Original Dish Soap", "19.4 oz", "bottle", 349),
        ("Dawn", "Platinum Powerwash Dish Spray", "16 oz", "bottle", 549),
        ("Palmolive", "Ultra Original Dish Liquid", "32.5 oz", "bottle", 449),
        ("Seventh Generation", "Free and Clear Dish Liquid", "19 oz", "bottle", 399),
        ("Mrs. Meyer's", "Lemon Verbena Dish Soap", "16 oz", "bottle", 499),
    ]),
    _g("dishwasher_detergent", "DWDT", HOUSE, ["dishwasher pods", "dishwasher tablets", "cascade pods"], [
        ("Cascade", "Platinum Plus ActionPacs", "36 count", "box", 1599),
        ("Finish", "Quantum Dishwasher Tabs", "64 count", "box", 1999),
        ("Seventh Generation", "Free and Clear Dishwasher Packs", "20 count", "box", 699),
    ]),
    _g("laundry_detergent", "LNDT", HOUSE, ["detergent", "laundry soap", "washing powder", "laundry pods",
                                             "washing liquid"], [
        ("Tide", "Original Liquid Laundry Detergent", "92 oz", "bottle", 1399),
        ("Tide", "PODS Original Laundry Detergent Pacs", "42 count", "bag", 1399),
        ("Gain", "Original Liquid Laundry Detergent", "88 oz", "bottle", 1199),
        ("Persil", "ProClean Original Liquid Detergent", "100 oz", "bottle", 1449),
        ("All", "Free Clear Liquid Laundry Detergent", "88 oz", "bottle", 1099),
        ("Arm and Hammer", "Clean Burst Liquid Laundry Detergent", "100 oz", "bottle", 899),
    ]),
    _g("fabric_softener", "FSOF", HOUSE, ["dryer sheets", "softener"], [
        ("Downy", "April Fresh Liquid Fabric Softener", "90 oz", "bottle", 899),
        ("Bounce", "Outdoor Fresh Dryer Sheets", "160 count", "box", 799),
    ]),
    _g("trash_bags", "TRSH", HOUSE, ["garbage bags", "bin bags", "bin liners", "trash can liners"], [
        ("Glad", "ForceFlex Tall Kitchen Drawstring Trash Bags", "40 count", "box", 1199),
        ("Hefty", "Ultra Strong Tall Kitchen Trash Bags", "40 count", "box", 1149),
        ("Glad", "Large Drawstring Outdoor Trash Bags", "30 count", "box", 1299),
    ]),
    _g("aluminum_foil", "FOIL", HOUSE, ["foil", "tin foil", "kitchen foil"], [
        ("Reynolds Wrap", "Standard Aluminum Foil", "75 sq ft", "roll", 549),
        ("Reynolds Wrap", "Heavy Duty Aluminum Foil", "50 sq ft", "roll", 599),
    ]),
    _g("plastic_wrap", "WRAP", HOUSE, ["cling wrap", "cling film", "saran wrap"], [
        ("Glad", "ClingWrap Plastic Food Wrap", "200 sq ft", "roll", 349),
        ("Saran", "Premium Wrap", "100 sq ft", "roll", 399),
    ]),
    _g("sponges", "SPNG", HOUSE, ["sponge", "scrub sponges", "scouring pads"], [
        ("Scotch-Brite", "Heavy Duty Scrub Sponges", "6 count", "pack", 699),
        ("O-Cedar", "Multi-Use Scrunge Scrub Sponges", "6 count", "pack", 499),
    ]),
    _g("all_purpose_cleaner", "CLNR", HOUSE, ["cleaner", "cleaning spray", "surface cleaner", "multi surface cleaner",
                                               "disinfecting wipes"], [
        ("Lysol", "All Purpose Cleaner Lemon Breeze", "32 oz", "bottle", 449),
        ("Clorox", "Disinfecting Wipes Fresh Scent", "75 count", "tub", 599),
        ("Method", "All-Purpose Cleaner Pink Grapefruit", "28 oz", "bottle", 429),
        ("Mr. Clean", "Multi-Surface Cleaner", "45 oz", "bottle", 449),
    ]),
    _g("bleach", "BLCH", HOUSE, ["chlorine bleach"], [
        ("Clorox", "Disinfecting Bleach Regular", "81 oz", "bottle", 549),
        ("Great Value", "Regular Bleach", "121 oz", "bottle", 478),
    ]),
    _g("light_bulbs", "BULB", HOUSE, ["light bulb", "bulbs", "l. e. d. bulbs"], [
        ("Philips", "LED Soft White A19 60 Watt Equivalent", "4 pack", "pack", 899),
        ("GE", "Relax LED Soft White Bulbs", "4 pack", "pack", 999),
    ]),
    _g("batteries", "BATT", HOUSE, ["battery", "double a batteries", "triple a batteries"], [
        ("Duracell", "Coppertop AA Batteries", "8 pack", "pack", 999),
        ("Energizer", "MAX AAA Batteries", "8 pack", "pack", 999),
    ]),
    # ---- personal care
    _g("toothpaste", "TPST", CARE, ["tooth paste", "fluoride toothpaste", "whitening toothpaste"], [
        ("Colgate", "Total Whitening Toothpaste", "4.8 oz", "tube", 449),
        ("Colgate", "Cavity Protection Toothpaste", "6 oz", "tube", 249),
        ("Crest", "Pro-Health Advanced Toothpaste", "5.1 oz", "tube", 549),
        ("Crest", "3D White Radiant Mint Toothpaste", "3.8 oz", "tube", 449),
        ("Sensodyne", "Pronamel Gentle Whitening Toothpaste", "4 oz", "tube", 749),
        ("Tom's of Maine", "Fluoride-Free Antiplaque Toothpaste", "5.5 oz", "tube", 599),
    ]),
    _g("toothbrush", "TBRS", CARE, ["toothbrushes", "tooth brush"], [
        ("Oral-B", "Pro-Health Soft Toothbrushes", "4 pack", "pack", 699),
        ("Colgate", "360 Medium Toothbrush", "2 pack", "pack", 549),
    ]),
    _g("mouthwash", "MWSH", CARE, ["mouth rinse", "listerine"], [
        ("Listerine", "Cool Mint Antiseptic Mouthwash", "1 liter", "bottle", 699),
        ("Crest", "Pro-Health Alcohol Free Mouthwash", "1 liter", "bottle", 649),
    ]),
    _g("shampoo", "SHMP", CARE, ["hair wash", "two in one shampoo", "dandruff shampoo"], [
        ("Pantene", "Pro-V Daily Moisture Renewal Shampoo", "12 oz", "bottle", 649),
        ("Head and Shoulders", "Classic Clean Dandruff Shampoo", "13.5 oz", "bottle", 799),
        ("Dove", "Daily Moisture Shampoo", "12 oz", "bottle", 599),
        ("OGX", "Nourishing Coconut Milk Shampoo", "13 oz", "bottle", 899),
        ("Suave", "Professionals Almond and Shea Butter Shampoo", "28 oz", "bottle", 399),
        ("Johnson's", "Baby Shampoo", "13.6 oz", "bottle", 549),
    ]),
    _g("conditioner", "COND", CARE, ["hair conditioner"], [
        ("Pantene", "Pro-V Daily Moisture Renewal Conditioner", "12 oz", "bottle", 649),
        ("Dove", "Daily Moisture Conditioner", "12 oz", "bottle", 599),
        ("OGX", "Nourishing Coconut Milk Conditioner", "13 oz", "bottle", 899),
    ]),
    _g("body_wash", "BWSH", CARE, ["shower gel", "bar soap", "soap"], [
        ("Dove", "Deep Moisture Body Wash", "22 oz", "bottle", 899),
        ("Dove", "Beauty Bar", "8 bars", "pack", 1099),
        ("Old Spice", "Swagger Body Wash", "16 oz", "bottle", 649),
        ("Irish Spring", "Original Deodorant Bar Soap", "8 bars", "pack", 649),
    ]),
    _g("hand_soap", "HSOP", CARE, ["hand wash", "liquid hand soap", "hand sanitizer"], [
        ("Softsoap", "Liquid Hand Soap Aquarium", "7.5 oz", "bottle", 199),
        ("Method", "Gel Hand Wash Sea Minerals", "12 oz", "bottle", 449),
        ("Purell", "Advanced Hand Sanitizer Gel", "8 oz", "bottle", 399),
    ]),
    _g("deodorant", "DEOD", CARE, ["antiperspirant"], [
        ("Secret", "Clinical Strength Antiperspirant", "1.6 oz", "each", 1049),
        ("Old Spice", "High Endurance Pure Sport Deodorant", "3 oz", "each", 549),
        ("Degree", "Men Cool Rush Antiperspirant", "2.7 oz", "each", 499),
    ]),
    _g("razors", "RAZR", CARE, ["razor", "razor blades", "shaving cartridges"], [
        ("Gillette", "Fusion5 Razor Blade Refills", "4 count", "pack", 1899),
        ("Schick", "Hydro Silk Disposable Razors", "3 count", "pack", 1099),
    ]),
    _g("pain_reliever", "PAIN", CARE, ["ibuprofen", "tylenol", "aspirin", "painkillers", "advil"], [
        ("Advil", "Ibuprofen Tablets 200 mg", "100 count", "bottle", 1199),
        ("Tylenol", "Extra Strength Caplets", "100 count", "bottle", 1249),
        ("Bayer", "Low Dose Aspirin 81 mg", "120 count", "bottle", 849),
    ]),
    # ---- baby
    _g("diapers", "DIAP", BABY, ["diaper", "nappies", "nappy", "pull ups", "training pants"], [
        ("Pampers", "Swaddlers Diapers Size 1", "84 count", "box", 2999),
        ("Pampers", "Cruisers Diapers Size 4", "100 count", "box", 3599),
        ("Huggies", "Little Snugglers Diapers Size 2", "74 count", "box", 2799),
        ("Huggies", "Pull-Ups Training Pants 2T-3T", "74 count", "box", 2699),
        ("Luvs", "Ultra Leakguards Diapers Size 3", "104 count", "box", 2299),
        ("Honest Company", "Clean Conscious Diapers Size 5", "50 count", "box", 2499),
    ]),
    _g("baby_wipes", "WIPE", BABY, ["wipes", "wet wipes"], [
        ("Pampers", "Sensitive Baby Wipes", "336 count", "pack", 1599),
        ("Huggies", "Natural Care Sensitive Baby Wipes", "192 count", "pack", 1099),
        ("WaterWipes", "Unscented Baby Wipes", "240 count", "pack", 1799),
    ]),
    _g("baby_formula", "FORM", BABY, ["formula", "infant formula"], [
        ("Similac", "Pro-Advance Infant Formula", "20.6 oz", "can", 3599),
        ("Enfamil", "NeuroPro Infant Formula", "20.7 oz", "can", 3899),
    ]),
    # ---- pets
    _g("dog_food", "DOGF", PET, ["dog kibble", "puppy food", "dog chow", "wet dog food", "dry dog food"], [
        ("Purina Pro Plan", "Adult Chicken and Rice Dry Dog Food", "18 lb", "bag", 5799),
        ("Blue Buffalo", "Life Protection Adult Chicken and Brown Rice", "15 lb", "bag", 5299),
        ("Pedigree", "Complete Nutrition Adult Dry Dog Food", "30 lb", "bag", 2999),
        ("Hill's Science Diet", "Adult Small Bites Dry Dog Food", "15 lb", "bag", 6199),
        ("Cesar", "Classic Loaf in Sauce Variety Pack", "12 count", "pack", 1399),
    ]),
    _g("cat_food", "CATF", PET, ["cat kibble", "kitten food", "cat chow", "wet cat food", "dry cat food"], [
        ("Purina Friskies", "Pate Wet Cat Food Variety Pack", "32 cans", "case", 2199),
        ("Meow Mix", "Original Choice Dry Cat Food", "16 lb", "bag", 1899),
        ("Fancy Feast", "Classic Pate Chicken Feast", "3 oz", "can", 109),
        ("Blue Buffalo", "Indoor Health Adult Dry Cat Food", "7 lb", "bag", 3299),
        ("Iams", "ProActive Health Adult Dry Cat Food", "7 lb", "bag", 1999),
    ]),
    _g("cat_litter", "LITR", PET, ["kitty litter", "litter"], [
        ("Tidy Cats", "Clumping Multi-Cat Litter", "20 lb", "box", 1499),
        ("Fresh Step", "Clumping Cat Litter with Febreze", "25 lb", "box", 1699),
        ("Arm and Hammer", "Clump and Seal Cat Litter", "28 lb", "box", 1899),
    ]),
    _g("dog_treats", "DOGT", PET, ["dog biscuits", "milk bones", "dog chews"], [
        ("Milk-Bone", "Original Dog Biscuits Medium", "24 oz", "box", 599),
        ("Greenies", "Original Regular Dental Dog Treats", "12 oz", "bag", 1999),
    ]),
)


# Tags: what a product is, said as data (a request for "gluten-free bread" must find only products
# tagged gluten-free). A tag is given to a product whose name or own synonyms say one of its phrases,
# and to every product of the kinds listed in KIND_TAGS.
TAG_PHRASES: dict[str, tuple[str, ...]] = {
    "organic": ("organic",),
    "gluten-free": ("gluten free",),
    "lactose-free": ("lactose free",),
    "dairy-free": ("dairy free",),
    "unsweetened": ("unsweetened",),
    "decaf": ("decaf", "decaffeinated"),
    "low-sodium": ("low sodium", "light sodium", "reduced sodium", "no salt added"),
    "unsalted": ("unsalted",),
    "sugar-free": ("sugar free", "diet", "zero sugar"),
    "fat-free": ("fat free", "non fat", "nonfat", "skim milk", "0%"),
    "low-fat": ("low fat", "reduced fat", "part skim", "2%"),
    "whole-grain": ("whole grain", "whole grains", "whole wheat"),
    "free-range": ("free range", "pasture raised"),
    "alcohol-free": ("alcohol free",),
    "unscented": ("unscented", "fragrance free", "free and clear"),
    "vegan": ("vegan", "plant based"),
}
KIND_TAGS: dict[str, tuple[str, ...]] = {
    "oat_milk": ("dairy-free", "lactose-free", "vegan"),
    "almond_milk": ("dairy-free", "lactose-free", "vegan"),
    "bananas": ("vegan", "gluten-free"),
    "apples": ("vegan", "gluten-free"),
    "rice": ("gluten-free", "vegan"),
}


def tags_for(generic: str, brand: str, name: str, synonyms: tuple[str, ...]) -> list[str]:
    """The tags of one product, sorted ("Stonyfield Organic" yogurt is organic by its brand)."""
    text = " " + " ".join([brand, name, *synonyms]).lower().replace("-", " ") + " "
    found = {tag for tag, phrases in TAG_PHRASES.items() if any(f" {p} " in text for p in phrases)}
    found.update(KIND_TAGS.get(generic, ()))
    return sorted(found)


def _digest(sku: str) -> int:
    """A stable pseudo-random number per SKU, so generated fields do not change between rebuilds."""
    return int(hashlib.sha256(sku.encode()).hexdigest()[:8], 16)


def discounted(sku: str, price: int) -> int | None:
    """About one product in ten is on deal, 10-25% off: its price after the discount (each locale rounds
    it its own way), None for a product not on deal."""
    d = _digest(sku)
    if d % 10 != 3:
        return None
    off = 10 + (d // 10) % 16
    return price * (100 - off) // 100


def _deal_price(sku: str, price: int) -> int | None:
    """The deal price in cents, rounded to end in 9."""
    deal = discounted(sku, price)
    if deal is None:
        return None
    deal = deal - deal % 10 + 9 if deal >= 20 else deal
    return deal if deal < price else price - 10


def _stock(sku: str) -> int:
    # Mostly plentiful, some low (1-4) to exercise "only a few left", a few sold out.
    d = _digest(sku) >> 8
    bucket = d % 40
    if bucket == 0:
        return 0
    if bucket < 5:
        return 1 + d % 4
    return 12 + d % 140


def _describe(brand: str, name: str, size: str, category: str) -> str:
    return f"{name} from {brand}, {size}, in {category}."


class TableRow(NamedTuple):
    """One product of a table, its SKU made from its generic's prefix and its place there."""

    sku: str
    brand: str
    name: str
    size: str
    unit: str
    price: int
    own: tuple[str, ...]
    """Synonyms of this product only."""


G = TypeVar("G", bound=Generic)


def table_rows(generics: Iterable[G]) -> Iterator[tuple[G, TableRow]]:
    """Every product of the tables in table order, with its generic (the English and Korean tables)."""
    for generic in generics:
        for i, row in enumerate(generic.rows, start=1):
            own: tuple[str, ...] = row[5] if len(row) > 5 else ()
            yield generic, TableRow(f"{generic.prefix}-{i:03d}", *row[:5], own)


def product_fields(generic: Generic, row: TableRow, deal_price: int | None) -> dict[str, object]:
    """The fields every locale's catalog gives a product, in file order (the locale's own follow)."""
    return {
        "sku": row.sku,
        "brand": row.brand,
        "name": row.name,
        "generic": generic.key,
        "size": row.size,
        "unit": row.unit,
        "price_cents": row.price,
        "deal_price_cents": deal_price,
        "category": generic.category,
        "stock": _stock(row.sku),
    }


def build_catalog() -> list[dict[str, object]]:
    """Every product as a JSON-ready dict, in table order."""
    return [
        {
            **product_fields(generic, row, _deal_price(row.sku, row.price)),
            "synonyms": list(dict.fromkeys(row.own + generic.synonyms)),
            "description": _describe(row.brand, row.name, row.size, generic.category),
            "tags": tags_for(generic.key, row.brand, row.name, row.own),
        }
        for generic, row in table_rows(GENERICS)
    ]


def write_products(products: list[dict[str, object]], path: Path) -> int:
    """Write a catalog JSON (one product a line's worth of indent, UTF-8 as is); returns the number of
    products."""
    path.write_text(json.dumps(products, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(products)


def write_catalog(path: Path = CATALOG_PATH) -> int:
    """Write the catalog JSON; returns the number of products."""
    return write_products(build_catalog(), path)


if __name__ == "__main__":
    print(f"wrote {write_catalog()} products to {CATALOG_PATH}")
