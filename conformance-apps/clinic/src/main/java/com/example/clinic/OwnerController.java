package com.example.clinic;

import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OwnerController {
  private final OwnerRepository owners;

  public OwnerController(OwnerRepository owners) {
    this.owners = owners;
  }

  /** The "add owner" form post. */
  @PostMapping("/owners/new")
  public ResponseEntity<Integer> create(@RequestParam String firstName, @RequestParam String lastName,
      @RequestParam String city, @RequestParam String telephone) {
    Owner owner = new Owner();
    owner.setFirstName(firstName);
    owner.setLastName(lastName);
    owner.setCity(city);
    owner.setTelephone(telephone);
    return ResponseEntity.status(HttpStatus.CREATED).body(owners.save(owner).getId());
  }

  /** The "find owners" page: the first five matches by last-name prefix. */
  @GetMapping("/owners")
  public List<String> find(@RequestParam(defaultValue = "") String lastName) {
    return owners.findByLastNameStartingWith(lastName, PageRequest.of(0, 5)).map(Owner::getLastName).getContent();
  }

  @GetMapping("/owners/{id}")
  public ResponseEntity<String> show(@PathVariable int id) {
    return owners.findById(id).map(owner -> ResponseEntity.ok(owner.getFirstName() + " " + owner.getLastName()))
        .orElse(ResponseEntity.notFound().build());
  }
}
